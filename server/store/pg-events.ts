// Live events between instances (lab-events.ts) through PostgreSQL's LISTEN/NOTIFY: publish
// sends one with pg_notify; every instance's listening connection, a client of its own that
// does nothing else, hears it. A listening connection that fails (the database restarted, a
// network cut) reconnects with a growing pause and listens again; events sent meanwhile are
// lost, so `reconnected` tells the owner to read the state afresh (the teacher's snapshot).

import pg from 'pg';
import { decodeLabEvent, encodeLabEvent, type LabEvent } from './lab-events.ts';

/** The NOTIFY channel every instance of one database listens on. */
export const EVENTS_CHANNEL = 'socket_lab_events';
/** The listening connection's name in pg_stat_activity (an administrator sees what it is). */
export const EVENTS_APPLICATION_NAME = 'socket-lab-events';
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;
/** Publishing is a pg_notify now and then: two connections are plenty. */
const PUBLISH_POOL_SIZE = 2;

export interface PgEventsOptions {
  url: string;
  /** An event from any instance (this one's too). */
  onEvent(event: LabEvent): void;
  /** Listening again after a failure: events may have been missed, read the state afresh. */
  reconnected?(): void;
  /** The listening connection failed (it is being re-made), or a reconnect failed. */
  failed?(err: Error): void;
}

export class PgEvents {
  private listener: pg.Client | null = null;
  private readonly publisher: pg.Pool;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(private readonly options: PgEventsOptions) {
    this.publisher = new pg.Pool({ connectionString: options.url, max: PUBLISH_POOL_SIZE });
    this.publisher.on('error', (err) => options.failed?.(err));
  }

  /** Listening once it resolves; rejects when the first connection cannot be made. */
  static async open(options: PgEventsOptions): Promise<PgEvents> {
    if (typeof options.url !== 'string' || typeof options.onEvent !== 'function') throw new Error('PgEvents needs url and onEvent');
    const events = new PgEvents(options);
    try {
      await events.listen();
    } catch (err) {
      await events.publisher.end().catch(() => {});
      throw err;
    }
    return events;
  }

  /** Sends an event to every instance; throws EventTooLargeError (before sending) for one over NOTIFY's limit. */
  async publish(event: LabEvent): Promise<void> {
    const payload = encodeLabEvent(event);
    await this.publisher.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, payload]);
  }

  /** Whether the listening connection is up now. */
  get listening(): boolean {
    return this.listener !== null;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => {});
    await this.publisher.end().catch(() => {});
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.url, application_name: EVENTS_APPLICATION_NAME });
    client.on('notification', (message) => {
      if (message.channel !== EVENTS_CHANNEL || message.payload === undefined) return;
      const event = decodeLabEvent(message.payload);
      if (event) this.options.onEvent(event);
    });
    // 'error' then 'end' (or 'end' alone, a clean close by the server): either is the end of it.
    let lost = false;
    const onLost = (err?: Error) => {
      if (lost) return;
      lost = true;
      if (this.listener === client) this.listener = null;
      if (this.closed) return;
      this.options.failed?.(err ?? new Error('the events connection was closed'));
      this.scheduleReconnect();
    };
    client.on('error', (err) => onLost(err));
    client.on('end', () => onLost());
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (err) {
      lost = true;
      await client.end().catch(() => {});
      throw err;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.listener = client;
    this.retryMs = FIRST_RETRY_MS;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.listen().then(
        () => {
          if (!this.closed) this.options.reconnected?.();
        },
        (err: Error) => {
          this.options.failed?.(err);
          this.scheduleReconnect();
        },
      );
    }, delay);
    this.retryTimer.unref();
  }
}
