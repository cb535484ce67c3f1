// Bytes a Python program's sockets have received but not yet read, held in the worker (see
// sync-transport.ts): recv(n) takes from the front, at most n bytes, in order.

export class ReceiveBuffers {
  private readonly chunks = new Map<number, Uint8Array[]>();
  private readonly sizes = new Map<number, number>();

  size(sock: number): number {
    return this.sizes.get(sock) ?? 0;
  }

  keep(sock: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const list = this.chunks.get(sock) ?? [];
    list.push(bytes);
    this.chunks.set(sock, list);
    this.sizes.set(sock, this.size(sock) + bytes.length);
  }

  /** Up to max bytes from the front, or null when nothing is held. */
  take(sock: number, max: number): Uint8Array | null {
    const list = this.chunks.get(sock);
    const size = this.size(sock);
    if (!list || size === 0 || max <= 0) return null;
    const n = Math.min(max, size);
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const head = list[0]!;
      const part = Math.min(head.length, n - filled);
      out.set(head.subarray(0, part), filled);
      filled += part;
      if (part === head.length) list.shift();
      else list[0] = head.subarray(part);
    }
    if (size === n) this.drop(sock);
    else this.sizes.set(sock, size - n);
    return out;
  }

  drop(sock: number): void {
    this.chunks.delete(sock);
    this.sizes.delete(sock);
  }
}
