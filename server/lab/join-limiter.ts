// Wrong lab codes, counted per address: a code is six letters from 31 (about 900 million),
// and an address that tries more than `perMinute` wrong ones in a minute must wait, so codes
// cannot be found by trying. Only wrong codes count (a class joining at once is fine); while an
// address waits, right codes wait too, or the answer would still tell right from wrong.

/** How long an address's count of wrong codes lasts. */
export const JOIN_WINDOW_MS = 60_000;
/** Addresses remembered at most; the oldest windows go first (a flood of addresses stays bounded). */
const MAX_TRACKED_ADDRESSES = 10_000;

export class JoinLimiter {
  /** Address -> wrong codes in the current window, and when the window began. */
  private readonly counts = new Map<string, { wrong: number; since: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** May this address try a code now? */
  allowed(address: string): boolean {
    const entry = this.current(address);
    return !entry || entry.wrong < this.perMinute;
  }

  /** Seconds until this address may try again (0 when it may now). */
  retryAfterSeconds(address: string): number {
    const entry = this.current(address);
    if (!entry || entry.wrong < this.perMinute) return 0;
    return Math.max(1, Math.ceil((entry.since + JOIN_WINDOW_MS - this.now()) / 1000));
  }

  /** A wrong code from this address. */
  wrong(address: string): void {
    const entry = this.current(address);
    if (entry) {
      entry.wrong++;
      return;
    }
    if (this.counts.size >= MAX_TRACKED_ADDRESSES) {
      const oldest = this.counts.keys().next().value;
      if (oldest !== undefined) this.counts.delete(oldest);
    }
    this.counts.set(address, { wrong: 1, since: this.now() });
  }

  private current(address: string): { wrong: number; since: number } | undefined {
    const entry = this.counts.get(address);
    if (entry && this.now() - entry.since >= JOIN_WINDOW_MS) {
      this.counts.delete(address);
      return undefined;
    }
    return entry;
  }
}

/** The message a person reads when their address must wait. */
export function tooManyAttemptsMessage(seconds: number): string {
  return `too many wrong lab codes from this computer: try again in ${seconds} s`;
}
