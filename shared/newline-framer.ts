/**
 * Splits a TCP byte stream into '\n'-terminated lines. TCP delivers bytes, not messages:
 * one recv() may hold half a line or three lines, and may even cut a UTF-8 character in
 * two, so lines are framed on raw bytes and decoded only once complete.
 */

const NEWLINE = 0x0a;
/** Default cap on one line, so a peer that never sends '\n' cannot grow memory forever. */
export const MAX_LINE_BYTES_DEFAULT = 64 * 1024;

export interface NewlineFramerOptions {
  /** Longest line accepted, in bytes, not counting its '\n'. */
  maxLineBytes?: number;
}

/** Thrown when a line exceeds the framer's maxLineBytes. */
export class LineTooLongError extends Error {
  constructor(readonly maxLineBytes: number) {
    super(`line longer than ${maxLineBytes} bytes without a newline`);
    this.name = 'LineTooLongError';
  }
}

export class NewlineFramer {
  readonly maxLineBytes: number;
  /** Pieces of the incomplete last line, kept as a list to avoid re-copying on each chunk. */
  private pendingPieces: Uint8Array[] = [];
  private pendingLength = 0;

  constructor(options: NewlineFramerOptions = {}) {
    this.maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES_DEFAULT;
  }

  /**
   * Feeds the next chunk; returns the lines it completed, each without its '\n' (a '\r'
   * before it is kept: the protocol, not the framer, decides what it means). Returned
   * lines are copies, safe to keep after the caller reuses `chunk`.
   * Throws LineTooLongError if a line passes maxLineBytes; the over-long line is dropped
   * (and any lines completed earlier in the same chunk with it), so the caller should
   * treat the stream as broken.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    const lines: Uint8Array[] = [];
    let lineStart = 0;
    for (let newline = chunk.indexOf(NEWLINE); newline !== -1; newline = chunk.indexOf(NEWLINE, lineStart)) {
      this.addPending(chunk.subarray(lineStart, newline));
      lines.push(this.takePending());
      lineStart = newline + 1;
    }
    if (lineStart < chunk.length) this.addPending(chunk.slice(lineStart));
    return lines;
  }

  /** The bytes of the incomplete line received so far (a copy). */
  get pending(): Uint8Array {
    return joinPieces(this.pendingPieces, this.pendingLength);
  }

  /** End of stream: the unterminated last line, or null if the stream ended with '\n'. */
  end(): Uint8Array | null {
    if (this.pendingLength === 0) return null;
    return this.takePending();
  }

  private addPending(piece: Uint8Array): void {
    if (piece.length === 0) return;
    if (this.pendingLength + piece.length > this.maxLineBytes) {
      this.pendingPieces = [];
      this.pendingLength = 0;
      throw new LineTooLongError(this.maxLineBytes);
    }
    this.pendingPieces.push(piece);
    this.pendingLength += piece.length;
  }

  private takePending(): Uint8Array {
    const line = joinPieces(this.pendingPieces, this.pendingLength);
    this.pendingPieces = [];
    this.pendingLength = 0;
    return line;
  }
}

function joinPieces(pieces: Uint8Array[], totalLength: number): Uint8Array {
  const joined = new Uint8Array(totalLength);
  let offset = 0;
  for (const piece of pieces) {
    joined.set(piece, offset);
    offset += piece.length;
  }
  return joined;
}
