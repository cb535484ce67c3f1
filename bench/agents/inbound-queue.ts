// What an endpoint has received and not yet read, with recv(max) that waits for bytes or the
// end, as a socket's receive buffer does: the raw TCP and websockify baselines read through
// it, so their workloads are the same code as the lab's (whose sockets have their own).

import { ByteQueue } from '../../shared/byte-queue.ts';

export class InboundQueue {
  private readonly bytes = new ByteQueue();
  private ended = false;
  private wake: (() => void) | null = null;

  push(chunk: Uint8Array): void {
    this.bytes.push(chunk);
    this.notify();
  }

  end(): void {
    this.ended = true;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Up to max bytes; an empty array once the stream has ended and everything was read. */
  async recv(max: number): Promise<Uint8Array> {
    while (this.bytes.length === 0 && !this.ended) await new Promise<void>((r) => (this.wake = r));
    return this.bytes.take(max);
  }
}
