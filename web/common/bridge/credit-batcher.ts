// The page tells the server how many bytes each socket's program has read ('credit'), which
// reopens that socket's receive window. One message per recv would make a program reading a
// byte at a time send thousands a second (and meet the messages-per-second limit), so while
// the program leaves bytes unread on the page its credit is gathered, and sent when it
// reaches CREDIT_BATCH_BYTES, at the end of the current event-loop turn, or before any call.
// A program that sends on the socket in the same turn takes the credit along in its data
// frame (take()): a program answering what it read sends one message, not two. The server
// must know what the program has read before anyone can see that it read it (its count of
// unread bytes decides whether closing the socket, by a kill from another console, sends FIN
// or a reset): so the page flushes before a program writes to its console (flush()), and the
// end of the turn sends the rest.

import { MIN_RECEIVE_WINDOW_BYTES } from '../../../shared/data-frame.ts';

/** Below the smallest receive window: what is held back can never keep a window shut. */
export const CREDIT_BATCH_BYTES = MIN_RECEIVE_WINDOW_BYTES;

export class CreditBatcher {
  private readonly pending = new Map<number, number>();
  private scheduled = false;

  constructor(
    private readonly send: (sock: number, bytes: number) => void,
    /** Runs a function after the current turn (setTimeout 0 on the page). */
    private readonly later: (fn: () => void) => void = (fn) => setTimeout(fn, 0),
  ) {}

  /** The program read `bytes` of `sock`. */
  add(sock: number, bytes: number): void {
    const total = (this.pending.get(sock) ?? 0) + bytes;
    if (total >= CREDIT_BATCH_BYTES) {
      this.pending.delete(sock);
      this.send(sock, total);
      return;
    }
    this.pending.set(sock, total);
    if (this.scheduled) return;
    this.scheduled = true;
    this.later(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** Takes `sock`'s gathered credit to send with its data instead (0 when none). */
  take(sock: number): number {
    const bytes = this.pending.get(sock) ?? 0;
    this.pending.delete(sock);
    return bytes;
  }

  /** Sends every socket's gathered credit now. */
  flush(): void {
    if (this.pending.size === 0) return;
    for (const [sock, bytes] of this.pending) this.send(sock, bytes);
    this.pending.clear();
  }

  /** The bridge closed: nothing more is sent. */
  clear(): void {
    this.pending.clear();
  }
}
