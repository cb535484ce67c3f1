// Keeps a program's requests over its channel WebSocket under a rate the server accepts.
// The server refuses a console's messages past its messages-per-second limit (default 5000,
// server/limits.ts), and each refusal counts as a bad message; a synchronous XMLHttpRequest
// cannot come near that, but a request over the WebSocket can (a busy loop of
// select(..., 0) on a fast laptop). So past a burst the worker waits before sending, which a
// program sees only as a slower loop. A token bucket: it fills at the rate, up to a burst.

/** Requests a program sends at most in a second over its WebSocket: half the server's default limit. */
export const MAX_SOCKET_REQUESTS_PER_SECOND = 2500;
/** Requests that may go at once after a pause. */
const BURST_SECONDS = 0.1;

export class RequestPacer {
  private tokens: number;
  private lastMs: number;
  private readonly burst: number;

  constructor(
    private readonly perSecond: number = MAX_SOCKET_REQUESTS_PER_SECOND,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.burst = Math.max(1, perSecond * BURST_SECONDS);
    this.tokens = this.burst;
    this.lastMs = now();
  }

  /** Counts one request; returns how long to wait before sending it (0: now). */
  take(): number {
    const at = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((at - this.lastMs) * this.perSecond) / 1000);
    this.lastMs = at;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.perSecond;
  }
}
