// Labs that end: a sweep, at start and then every minute, that
//  - notes every device with a console open as seen now, so that the stored last activity of
//    a lab in use stays within a minute or so even if the server is killed, not stuck at when
//    its console opened hours ago;
//  - writes the devices' last-seen times noted since the last sweep, in one transaction;
//  - removes each lab with no console open for --lab-retention (0: none), freeing its code;
//    the store keeps its Check results for the teacher (LabStore.removeEndedLab).
// The clock is injected, so tests move it on by hours and sweep, rather than wait.
// With several instances on one database (--database) the sweep is sweepShared: the open
// consoles noted and written the same way, then one statement removes every ended lab of the
// whole database (AsyncLabStore.removeEndedLabs: each lab ends once, whichever instance's
// sweep gets there first), and this instance drops those it held.

import type { Lab, LabRegistry } from './lab-registry.ts';
import type { LabStore } from '../store/lab-store.ts';
import type { AsyncLabStore } from '../store/async-lab-store.ts';
import { labExpired } from './lab-activity.ts';

/** Often enough that a lab goes within a minute of its retention, and that a crash loses at
 * most a minute of last-seen times; a sweep of a class's few hundred rows costs next to nothing. */
export const SWEEP_INTERVAL_MS = 60_000;

export interface RetentionOptions {
  registry: Pick<LabRegistry, 'all' | 'removeEnded'>;
  store: Pick<LabStore, 'flushSeen'>;
  /** --lab-retention in ms; 0 keeps every lab (the sweep still keeps last-seen times). */
  retentionMs: number;
  now(): number;
  intervalMs?: number;
  /** A lab was removed (for the log). */
  removed?(lab: Lab, now: number): void;
  /** A sweep failed (the database could not be written): told, and tried again next time. */
  failed?(err: unknown): void;
  /** Several instances on one database: the store they share, and what to do with the labs that ended (their codes). */
  shared?: { store: Pick<AsyncLabStore, 'flushSeen' | 'removeEndedLabs'>; ended(codes: string[], now: number): void };
}

export class LabRetention {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: RetentionOptions) {
    if (!(options.retentionMs >= 0)) throw new Error('lab retention needs retentionMs >= 0');
  }

  /** Sweeps now, then every interval, until close. The timer does not keep the process alive. */
  start(): void {
    if (this.timer) return;
    this.sweepSafely();
    this.timer = setInterval(() => this.sweepSafely(), this.options.intervalMs ?? SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  /** Every device with a console open is seen now; the labs held. */
  private noteOpenConsoles(now: number): Lab[] {
    const labs = [...this.options.registry.all()];
    for (const lab of labs) {
      for (const device of lab.devices.values()) if (device.consoles > 0) device.lastSeen = now;
    }
    return labs;
  }

  /** One sweep of the shared database; returns the codes of the labs it removed (of every instance). */
  async sweepShared(): Promise<string[]> {
    const shared = this.options.shared;
    if (!shared) throw new Error('sweepShared needs the shared store');
    const now = this.options.now();
    this.noteOpenConsoles(now);
    await shared.store.flushSeen();
    if (this.options.retentionMs === 0) return [];
    const codes = await shared.store.removeEndedLabs(now - this.options.retentionMs, now);
    if (codes.length > 0) shared.ended(codes, now);
    return codes;
  }

  /** One sweep; returns the codes of the labs it removed. */
  sweep(): string[] {
    const { registry, store, retentionMs } = this.options;
    if (this.options.shared) throw new Error('with a shared database the sweep is sweepShared()');
    const now = this.options.now();
    const labs = this.noteOpenConsoles(now);
    store.flushSeen();
    const removed: string[] = [];
    for (const lab of labs) {
      if (!labExpired(lab, now, retentionMs)) continue;
      registry.removeEnded(lab.code, now);
      removed.push(lab.code);
      this.options.removed?.(lab, now);
    }
    return removed;
  }

  /** Stops the sweeps (what was noted is written when the store closes). */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private sweepSafely(): void {
    if (this.options.shared) {
      this.sweepShared().catch((err) => this.options.failed?.(err));
      return;
    }
    try {
      this.sweep();
    } catch (err) {
      this.options.failed?.(err);
    }
  }
}
