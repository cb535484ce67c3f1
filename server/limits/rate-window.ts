// "At most N events in any one second", counted in tenth-of-a-second buckets so the memory is
// fixed whatever N a teacher sets (a log of timestamps would hold N of them). Over the limit
// nothing is counted: a caller that is refused does not push its own allowance further away.
// The clock is injected so the logic is tested without waiting.

/** How long the window is. */
export const RATE_WINDOW_MS = 1000;
/** The window is this many buckets; the oldest drops out as the clock moves on. */
const BUCKET_COUNT = 10;
const BUCKET_MS = RATE_WINDOW_MS / BUCKET_COUNT;

export type Clock = () => number;

/** A monotonic clock in milliseconds (Date.now jumps when the laptop's time is set). */
export const monotonicClock: Clock = () => performance.now();

export class RateWindow {
  private readonly counts = new Array<number>(BUCKET_COUNT).fill(0);
  private total = 0;
  /** The bucket number (time / BUCKET_MS) that counts[current % BUCKET_COUNT] is for. */
  private current: number;

  constructor(
    private readonly maxPerWindow: number,
    private readonly now: Clock = monotonicClock,
  ) {
    this.current = this.bucketOf(now());
  }

  private bucketOf(ms: number): number {
    return Math.floor(ms / BUCKET_MS);
  }

  /** Forgets the buckets that have left the window. */
  private advance(): void {
    const bucket = this.bucketOf(this.now());
    if (bucket <= this.current) return; // the same bucket, or a clock that went back
    const steps = Math.min(bucket - this.current, BUCKET_COUNT);
    for (let i = 1; i <= steps; i++) {
      const slot = (this.current + i) % BUCKET_COUNT;
      this.total -= this.counts[slot]!;
      this.counts[slot] = 0;
    }
    this.current = bucket;
  }

  /** Counts one event if the window has room for it; false (and nothing counted) if not. */
  take(): boolean {
    this.advance();
    if (this.total >= this.maxPerWindow) return false;
    this.counts[this.current % BUCKET_COUNT]!++;
    this.total++;
    return true;
  }

  /** Events counted in the window now. */
  get count(): number {
    this.advance();
    return this.total;
  }
}
