// The teacher's live feed: while at least one teacher's tab listens, the class snapshot is
// rebuilt on a short interval and sent only when something a teacher sees has changed.
// Rebuild-and-compare keeps the rest of the server unaware of the teacher (no events to
// thread through the bridge and the network); a class of 40 labs is a few hundred rows, so
// one rebuild a second costs next to nothing. The timer runs only while someone listens.

import type { TeacherSnapshot } from '../../shared/teacher-snapshot.ts';
import { snapshotFingerprint } from './class-snapshot.ts';

export interface FeedSubscriber {
  /** The snapshot, as JSON text. */
  snapshot(json: string): void;
  /** Nothing changed for a while: a comment, so proxies and the browser keep the line open. */
  keepAlive(): void;
  /** The server is stopping. */
  end(): void;
}

export interface FeedOptions {
  /** Now (labs of this process) or later (gathered from the lab workers over IPC). */
  build(): TeacherSnapshot | Promise<TeacherSnapshot>;
  intervalMs: number;
  keepAliveMs: number;
  maxSubscribers: number;
}

export class SnapshotFeed {
  private readonly subscribers = new Set<FeedSubscriber>();
  private timer: NodeJS.Timeout | null = null;
  private lastFingerprint = '';
  private lastSentAt = 0;
  private closed = false;
  /** A gathered snapshot is on its way: ticks meanwhile are skipped, not piled up. */
  private building = false;

  constructor(private readonly options: FeedOptions) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Adds a listener and sends it the snapshot at once; false when there are too many already. */
  subscribe(subscriber: FeedSubscriber): boolean {
    if (this.closed || this.subscribers.size >= this.options.maxSubscribers) return false;
    this.subscribers.add(subscriber);
    const first = (snapshot: TeacherSnapshot) => {
      if (!this.subscribers.has(subscriber)) return;
      this.lastFingerprint = snapshotFingerprint(snapshot);
      this.lastSentAt = Date.now();
      subscriber.snapshot(JSON.stringify(snapshot));
    };
    const built = this.options.build();
    if (built instanceof Promise) built.then(first, () => undefined);
    else first(built);
    this.timer ??= setInterval(() => this.tick(), this.options.intervalMs);
    return true;
  }

  unsubscribe(subscriber: FeedSubscriber): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  /** Something changed for sure (the teacher acted): send now rather than at the next tick. */
  poke(): void {
    if (this.subscribers.size > 0) this.tick();
  }

  private tick(): void {
    if (this.building) return;
    const built = this.options.build();
    if (!(built instanceof Promise)) return this.send(built);
    this.building = true;
    built.then(
      (snapshot) => {
        this.building = false;
        if (!this.closed) this.send(snapshot);
      },
      () => (this.building = false),
    );
  }

  private send(snapshot: TeacherSnapshot): void {
    const fingerprint = snapshotFingerprint(snapshot);
    const now = Date.now();
    if (fingerprint !== this.lastFingerprint) {
      this.lastFingerprint = fingerprint;
      this.lastSentAt = now;
      const json = JSON.stringify(snapshot);
      for (const s of this.subscribers) s.snapshot(json);
    } else if (now - this.lastSentAt >= this.options.keepAliveMs) {
      this.lastSentAt = now;
      for (const s of this.subscribers) s.keepAlive();
    }
  }

  /** Ends every listener and the timer; later subscriptions are refused. */
  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const s of [...this.subscribers]) {
      this.subscribers.delete(s);
      s.end();
    }
  }
}
