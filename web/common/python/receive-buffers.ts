// Bytes a Python program's sockets have received but not yet read, held in the worker (see
// sync-transport.ts): recv(n) takes from the front, at most n bytes, in order.

import { ByteQueue } from '../../../shared/byte-queue.ts';

export class ReceiveBuffers {
  private readonly queues = new Map<number, ByteQueue>();

  size(sock: number): number {
    return this.queues.get(sock)?.length ?? 0;
  }

  keep(sock: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    let queue = this.queues.get(sock);
    if (!queue) this.queues.set(sock, (queue = new ByteQueue()));
    queue.push(bytes);
  }

  /** Up to max bytes from the front, or null when nothing is held. */
  take(sock: number, max: number): Uint8Array | null {
    const queue = this.queues.get(sock);
    if (!queue || queue.length === 0 || max <= 0) return null;
    const out = queue.take(max);
    if (queue.length === 0) this.drop(sock);
    return out;
  }

  drop(sock: number): void {
    this.queues.delete(sock);
  }
}
