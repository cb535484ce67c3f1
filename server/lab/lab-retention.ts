// Labs that end: a sweep, at start and then every minute, that
//  - notes every device with a console open as seen now, so that the stored last activity of
//    a lab in use stays within a minute or so even if the server is killed, not stuck at when
//    its console opened hours ago;
//  - writes the devices' last-seen times noted since the last sweep, in one transaction;
//  - removes each lab with no console open for --lab-retention (0: none), freeing its code;
//    the store keeps its Check results for the teacher (LabStore.removeEndedLab).
// The clock is injected, so tests move it on by hours and sweep, rather than wait.

import type { Lab, LabRegistry } from './lab-registry.ts';
import type { LabStore } from '../store/lab-store.ts';
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

  /** One sweep; returns the codes of the labs it removed. */
  sweep(): string[] {
    const { registry, store, retentionMs } = this.options;
    const now = this.options.now();
    const labs = [...registry.all()];
    for (const lab of labs) {
      for (const device of lab.devices.values()) if (device.consoles > 0) device.lastSeen = now;
    }
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
    try {
      this.sweep();
    } catch (err) {
      this.options.failed?.(err);
    }
  }
}
