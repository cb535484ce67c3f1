// The soak's framing: newline-ended lines "SEQ PAYLOAD HASH", where HASH is the FNV-1a hash
// of the payload; a receiver checks each line's order and hash and keeps a running hash of the
// stream, which at the end must equal the sender's. Pure: no sockets, no clocks.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a 32-bit, continuing from `hash` (start from FNV_OFFSET via the default). */
export function fnv1a(bytes: Uint8Array, hash = FNV_OFFSET): number {
  let h = hash >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h >>> 0;
}

export const FNV_START = FNV_OFFSET;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** The payload of message `seq` of stream `stream`: printable, no spaces, 1..maxLength long, the same every time. */
export function payloadFor(stream: number, seq: number, maxLength = 200): string {
  let x = (Math.imul(stream + 1, 0x9e3779b1) ^ Math.imul(seq + 1, 0x85ebca6b)) >>> 0;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  const length = 1 + (next() % maxLength);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[next() % ALPHABET.length];
  return out;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The sending side of one stream: the lines it sends and the running hash of their payloads. */
export class StreamSender {
  seq = 0;
  hash = FNV_START;
  bytes = 0;

  constructor(
    readonly stream: number,
    readonly maxPayload = 200,
  ) {}

  /** The next line, with its newline, as bytes. */
  next(): Uint8Array {
    const payload = encoder.encode(payloadFor(this.stream, this.seq, this.maxPayload));
    const line = encoder.encode(`${this.seq} ${decoder.decode(payload)} ${fnv1a(payload).toString(16)}\n`);
    this.hash = fnv1a(payload, this.hash);
    this.seq++;
    this.bytes += line.length;
    return line;
  }
}

/** Splits bytes into newline-ended lines (without the newline), across chunk boundaries. */
export class LineSplitter {
  private pending: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): Uint8Array[] {
    const data = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    const lines: Uint8Array[] = [];
    let start = 0;
    for (let i = 0; i < data.length; i++) {
      if (data[i] === 10) {
        lines.push(data.subarray(start, i));
        start = i + 1;
      }
    }
    this.pending = data.slice(start);
    return lines;
  }

  /** Bytes after the last newline (a torn line at the end of a stream). */
  get rest(): number {
    return this.pending.length;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The receiving side of one stream: order, per-line hash and the running hash. */
export class StreamChecker {
  private readonly splitter = new LineSplitter();
  /** The sequence number expected next. */
  expected = 0;
  received = 0;
  bytes = 0;
  /** Sequence numbers skipped (a gap: those lines never came before a later one). */
  lost = 0;
  /** Lines that came after a later one (a sequence number below the one expected). */
  reordered = 0;
  /** Lines that were not "SEQ PAYLOAD HASH" or whose hash did not match their payload. */
  corrupt = 0;
  hash = FNV_START;

  push(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    for (const line of this.splitter.push(chunk)) this.line(line);
  }

  private line(line: Uint8Array): void {
    const text = decoder.decode(line);
    const m = /^(\d+) (\S+) ([0-9a-f]+)$/.exec(text);
    if (!m) {
      this.corrupt++;
      return;
    }
    const seq = Number(m[1]);
    const payload = encoder.encode(m[2]!);
    if (fnv1a(payload).toString(16) !== m[3]) {
      this.corrupt++;
      return;
    }
    this.received++;
    if (seq < this.expected) {
      this.reordered++;
      if (this.lost > 0) this.lost--; // it was counted lost when skipped
      return;
    }
    if (seq > this.expected) this.lost += seq - this.expected;
    this.expected = seq + 1;
    this.hash = fnv1a(payload, this.hash);
  }

  /** At the end of the stream: compares with what the sender sent. */
  verdict(sender: { seq: number; hash: number; bytes: number }): StreamVerdict {
    const tail = Math.max(0, sender.seq - this.expected);
    return {
      sent: sender.seq,
      received: this.received,
      bytesSent: sender.bytes,
      bytesReceived: this.bytes,
      lost: this.lost + tail,
      reordered: this.reordered,
      corrupt: this.corrupt + (this.splitter.rest > 0 ? 1 : 0),
      checksumMatches: this.hash === sender.hash && this.expected === sender.seq,
    };
  }
}

export interface StreamVerdict {
  sent: number;
  received: number;
  bytesSent: number;
  bytesReceived: number;
  lost: number;
  reordered: number;
  corrupt: number;
  checksumMatches: boolean;
}
