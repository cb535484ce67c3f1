// The reference peer's receiving side: one loop reads the socket into a buffer (so several
// steps, and a "quiet" watch, never race two recv calls), and steps take lines from it.

import { concatBytes, indexOfByte } from '../../../../shared/bytes.ts';
import { Emitter, type Disposer } from '../../../../shared/emitter.ts';
import type { PySocket } from '../../net/py-socket.ts';

const NEWLINE = 0x0a;
const RECV_BYTES = 4096;

export class LineReader {
  buffer: Uint8Array = new Uint8Array(0);
  eof = false;
  error: string | null = null;
  private readonly changes = new Emitter();

  constructor(private readonly socket: PySocket, private readonly onChunk: (data: Uint8Array) => void) {
    void this.pump();
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        const data = await this.socket.recv(RECV_BYTES);
        this.onChunk(data);
        if (data.length === 0) break;
        this.buffer = concatBytes(this.buffer, data);
        this.notify();
      }
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
    this.eof = true;
    this.notify();
  }

  private notify(): void {
    this.changes.emit();
  }

  /** Resolves at the next change (bytes or the end); returns how to stop waiting. */
  onChange(waiter: () => void): Disposer {
    return this.changes.on(waiter);
  }

  /** A whole line (with its b'\n'), or at the end of stream what came before it; null while waiting. */
  takeLine(): Uint8Array | null {
    const at = indexOfByte(this.buffer, NEWLINE);
    if (at < 0 && !this.eof) return null;
    const end = at < 0 ? this.buffer.length : at + 1;
    const line = this.buffer.slice(0, end);
    this.buffer = this.buffer.slice(end);
    return line;
  }
}
