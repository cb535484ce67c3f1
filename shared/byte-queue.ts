// Received bytes waiting to be read: chunks as they arrived, taken from the front in order,
// at most n at a time (what a socket's receive buffer does for recv(n)).

export class ByteQueue {
  private readonly chunks: Uint8Array[] = [];
  private total = 0;

  /** Bytes held. */
  get length(): number {
    return this.total;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** Up to max bytes from the front (an empty array when nothing is held). */
  take(max: number): Uint8Array {
    const n = Math.max(0, Math.min(max, this.total));
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const head = this.chunks[0]!;
      const part = Math.min(head.length, n - filled);
      out.set(head.subarray(0, part), filled);
      filled += part;
      if (part === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(part);
    }
    this.total -= n;
    return out;
  }
}
