// One console's guard against a page that floods or misbehaves: its messages per second
// (WebSocket calls, data frames and credits, and its Python programs' channel requests, all
// on one count) and the bad messages it has sent (anything answered with a protocol error).
// The console session acts on the verdicts: a 'too-fast' reply, and past the bad-message
// limit, disconnection.

import type { Limits } from '../limits.ts';
import { monotonicClock, RateWindow, type Clock } from './rate-window.ts';

export class MessageGuard {
  private readonly rate: RateWindow;
  private badCount = 0;

  constructor(
    private readonly limits: Pick<Limits, 'messagesPerSecond' | 'badMessages'>,
    now: Clock = monotonicClock,
  ) {
    this.rate = new RateWindow(limits.messagesPerSecond, now);
  }

  /** One message arrived: false when the console is over its rate (the message is refused). */
  admit(): boolean {
    return this.rate.take();
  }

  /** One message was bad: true once there have been more than the limit allows. */
  countBad(): boolean {
    this.badCount++;
    return this.badCount > this.limits.badMessages;
  }

  get bad(): number {
    return this.badCount;
  }
}
