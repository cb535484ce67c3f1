// Live events between instances over a real PostgreSQL's LISTEN/NOTIFY: two instances'
// channels hear each other; a payload at NOTIFY's limit goes through and one past it is
// refused before sending (the database refuses it too); a listening connection cut by the
// database reconnects, says so, and hears events again.

import { afterAll, beforeAll, onTestFinished, test } from 'vitest';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startPostgres, type TestPostgres } from './support/postgres.ts';
import { EVENTS_APPLICATION_NAME, EVENTS_CHANNEL, PgEvents } from '../server/store/pg-events.ts';
import { EventTooLargeError, NOTIFY_PAYLOAD_LIMIT_BYTES, encodeLabEvent, type LabEvent } from '../server/store/lab-events.ts';

let postgres: TestPostgres;

beforeAll(async () => {
  postgres = await startPostgres();
});

afterAll(async () => {
  await postgres?.stop();
});

/** An instance's channel, with the events it heard and a way to wait for the next. */
async function instance(url: string) {
  const heard: LabEvent[] = [];
  const waiting: ((e: LabEvent) => void)[] = [];
  let reconnects = 0;
  let onReconnect: (() => void) | null = null;
  const events = await PgEvents.open({
    url,
    onEvent: (e) => {
      heard.push(e);
      waiting.shift()?.(e);
    },
    reconnected: () => {
      reconnects++;
      onReconnect?.();
    },
  });
  onTestFinished(() => events.close());
  return {
    events,
    heard,
    next: () => new Promise<LabEvent>((resolve) => waiting.push(resolve)),
    reconnected: () => new Promise<void>((resolve) => (onReconnect = resolve)),
    get reconnects() {
      return reconnects;
    },
  };
}

test("each instance hears every instance's events, its own too, in order", async () => {
  const url = await postgres.newDatabase();
  const a = await instance(url);
  const b = await instance(url);
  const joined: LabEvent = { type: 'device-joined', lab: 'ABC234', instance: 'lab1', device: 1 };
  const saved: LabEvent = { type: 'check-saved', lab: 'ABC234', instance: 'lab1', device: 1, question: 10 };
  const atB = [b.next(), b.next()];
  // A hears its own two as well; both awaited, or its second could answer the wait for B's.
  const atA = [a.next(), a.next()];
  await a.events.publish(joined);
  await a.events.publish(saved);
  assert.deepEqual(await Promise.all(atB), [joined, saved]);
  assert.deepEqual(await Promise.all(atA), [joined, saved]);
  const switched: LabEvent = { type: 'reveal-switched', lab: null, instance: 'lab2', on: true };
  const back = a.next();
  await b.events.publish(switched);
  assert.deepEqual(await back, switched);
});

test("a payload just under NOTIFY's limit goes through; one at it is refused before sending, as PostgreSQL would", async () => {
  const url = await postgres.newDatabase();
  const a = await instance(url);
  const b = await instance(url);
  const base = encodeLabEvent({ type: 'lab-created', lab: 'ABC234', instance: '' }).length;
  const biggest: LabEvent = { type: 'lab-created', lab: 'ABC234', instance: 'i'.repeat(NOTIFY_PAYLOAD_LIMIT_BYTES - 1 - base) };
  const heard = b.next();
  await a.events.publish(biggest);
  assert.deepEqual(await heard, biggest);

  const tooBig: LabEvent = { ...biggest, instance: `${biggest.instance}i` };
  await assert.rejects(a.events.publish(tooBig), EventTooLargeError);
  // The limit is PostgreSQL's own: the same payload sent by hand is refused by the server.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  onTestFinished(() => client.end());
  await assert.rejects(client.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify(tooBig)]), /payload string too long/);
  // Nothing but the one event reached the other instance (a marker sent after proves the order).
  const marker: LabEvent = { type: 'lab-removed', lab: 'ABC234', instance: 'lab1' };
  const next = b.next();
  await a.events.publish(marker);
  assert.deepEqual(await next, marker);
  assert.equal(b.heard.length, 2);
});

test('a listening connection cut by the database reconnects, says so, and hears events again', async () => {
  const url = await postgres.newDatabase();
  const a = await instance(url);
  const b = await instance(url);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  onTestFinished(() => admin.end());
  const reconnected = b.reconnected();
  // Cut both instances' listening connections, as a database restart would.
  const cut = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [EVENTS_APPLICATION_NAME]);
  assert.equal(cut.rowCount, 2);
  await reconnected;
  assert.equal(b.reconnects, 1);
  assert.ok(b.events.listening);
  const event: LabEvent = { type: 'lab-claimed', lab: 'ABC234', instance: 'lab2' };
  const heard = b.next();
  await a.events.publish(event);
  assert.deepEqual(await heard, event);
});
