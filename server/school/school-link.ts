// One instance's link to the other instances of a school (--database): the PostgreSQL store
// they share, the events they tell each other (pg-events.ts: LISTEN/NOTIFY), and where each
// can be reached, which each records in the database when it starts listening (a teacher's
// page on one instance fetches a lab's details from the instance serving it).

import { PostgresLabStore } from '../store/postgres-store.ts';
import { PgEvents } from '../store/pg-events.ts';
import type { LabEvent } from '../store/lab-events.ts';

/** The setting that holds an instance's URL: this prefix and its --instance-name. */
export const INSTANCE_URL_SETTING_PREFIX = 'instance_url:';
/** An instance's URL is read again after this long (one that restarted may have another). */
const INSTANCE_URL_CACHE_MS = 10_000;

export interface SchoolLinkLog {
  warn(message: string, err?: unknown): void;
}

export class SchoolLink {
  private readonly eventHandlers = new Set<(event: LabEvent) => void>();
  private readonly reconnectHandlers = new Set<() => void>();
  private readonly urls = new Map<string, { url: string | null; at: number }>();
  private events: PgEvents | null = null;

  private constructor(
    readonly store: PostgresLabStore,
    /** This instance's --instance-name. */
    readonly instance: string,
    private readonly log: SchoolLinkLog,
  ) {}

  /** Opens the store (migrating it) and starts listening; throws StoreError when the database cannot be used. */
  static async open(url: string, instance: string, log: SchoolLinkLog): Promise<SchoolLink> {
    if (typeof url !== 'string' || typeof instance !== 'string' || instance === '') throw new Error('the school link needs the database URL and the instance name');
    const store = await PostgresLabStore.open(url, { connectionLost: (err) => log.warn('a database connection was lost; the next query makes another', err) });
    const link = new SchoolLink(store, instance, log);
    try {
      link.events = await PgEvents.open({
        url,
        onEvent: (event) => {
          for (const handle of link.eventHandlers) handle(event);
        },
        reconnected: () => {
          for (const handle of link.reconnectHandlers) handle();
        },
        failed: (err) => log.warn('the events connection to the database failed; listening again', err),
      });
    } catch (err) {
      await store.close().catch(() => {});
      throw err;
    }
    return link;
  }

  /** Tells every instance (this one too). A lost event costs a refetch, never a wrong state: it is logged, never thrown. */
  publish(event: LabEvent): void {
    this.events?.publish(event).catch((err) => this.log.warn(`a ${event.type} event could not be sent`, err));
  }

  /** An event from any instance (this one's own too: compare event.instance). */
  onEvent(handle: (event: LabEvent) => void): void {
    this.eventHandlers.add(handle);
  }

  /** Listening again after the database cut the events connection: events may have been missed. */
  onReconnected(handle: () => void): void {
    this.reconnectHandlers.add(handle);
  }

  /** Records where this instance is reached (its own base URL, without the trailing '/'). */
  async announce(url: string): Promise<void> {
    await this.store.setSetting(INSTANCE_URL_SETTING_PREFIX + this.instance, url.replace(/\/$/, ''));
  }

  /** Where an instance is reached, as it last recorded it; null when it never did. */
  async urlOf(instance: string, now = Date.now()): Promise<string | null> {
    const known = this.urls.get(instance);
    if (known && now - known.at < INSTANCE_URL_CACHE_MS) return known.url;
    const url = (await this.store.getSetting(INSTANCE_URL_SETTING_PREFIX + instance)) ?? null;
    this.urls.set(instance, { url, at: now });
    return url;
  }

  async close(): Promise<void> {
    await this.events?.close();
    await this.store.close();
  }
}
