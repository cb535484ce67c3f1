// Retries a connection with backoff: the first attempt soon, each next one twice as late up
// to a ceiling, each delay shortened by a random part so that a classroom of pages whose
// server restarted do not all knock at the same moment. DOM-free: the timer and the random
// source are injected, so its unit test drives it with a fake clock.

/** The first retry comes this soon after the connection is lost. */
export const FIRST_RETRY_DELAY_MS = 250;
/** Delays double up to this. */
export const MAX_RETRY_DELAY_MS = 5000;
/** Up to this fraction of each delay is taken off at random (0.5: between half and all of it). */
export const RETRY_JITTER_FRACTION = 0.5;

export interface RetryTimer {
  set(callback: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

export const realTimer: RetryTimer = {
  set: (callback, delayMs) => setTimeout(callback, delayMs),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The delay before retry number `attempt` (0 for the first), given a random number in [0, 1). */
export function retryDelayMs(attempt: number, random: number): number {
  const full = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** Math.min(attempt, 30));
  return Math.round(full * (1 - RETRY_JITTER_FRACTION * random));
}

export interface ReconnectorOptions<T> {
  /** One attempt: resolves with the connection, or rejects. */
  connect(): Promise<T>;
  /** Whether a failed attempt is worth another (false: the reconnector gives up). */
  shouldRetry(err: unknown): boolean;
  onConnected(connection: T): void;
  onGaveUp(err: unknown): void;
  /** A connection that came after stop(): nobody wants it (close it). */
  discard?(connection: T): void;
  /** The next attempt is scheduled in delayMs. */
  onWaiting?(delayMs: number, attempt: number): void;
  timer?: RetryTimer;
  random?: () => number;
}

export class Reconnector<T> {
  private attempt = 0;
  private handle: unknown = null;
  private running = false;
  private inFlight = false;
  /** Bumped by stop(): an attempt in flight from before is ignored when it settles. */
  private generation = 0;
  private readonly timer: RetryTimer;
  private readonly random: () => number;

  constructor(private readonly options: ReconnectorOptions<T>) {
    this.timer = options.timer ?? realTimer;
    this.random = options.random ?? Math.random;
  }

  /** True from start() until it connects, gives up or is stopped. */
  get active(): boolean {
    return this.running;
  }

  /** Starts retrying, the first attempt after the first delay. Nothing if already retrying. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    this.schedule();
  }

  /** Tries at once (the student asked), starting to retry if it was not. */
  tryNow(): void {
    if (this.inFlight && this.running) return; // that attempt's outcome decides
    if (this.handle !== null) this.timer.clear(this.handle);
    this.handle = null;
    if (!this.running) {
      this.running = true;
      this.attempt = 0;
    }
    void this.tryOnce(this.generation);
  }

  stop(): void {
    this.running = false;
    this.inFlight = false;
    this.generation++;
    if (this.handle !== null) this.timer.clear(this.handle);
    this.handle = null;
  }

  private schedule(): void {
    const delayMs = retryDelayMs(this.attempt, this.random());
    const generation = this.generation;
    this.options.onWaiting?.(delayMs, this.attempt);
    this.handle = this.timer.set(() => {
      this.handle = null;
      void this.tryOnce(generation);
    }, delayMs);
  }

  private async tryOnce(generation: number): Promise<void> {
    let connection: T;
    this.inFlight = true;
    try {
      connection = await this.options.connect();
    } catch (err) {
      if (generation === this.generation) this.inFlight = false;
      if (generation !== this.generation || !this.running) return;
      if (!this.options.shouldRetry(err)) {
        this.running = false;
        this.options.onGaveUp(err);
        return;
      }
      this.attempt++;
      this.schedule();
      return;
    }
    if (generation === this.generation) this.inFlight = false;
    if (generation !== this.generation || !this.running) {
      this.options.discard?.(connection);
      return;
    }
    this.running = false;
    this.options.onConnected(connection);
  }
}
