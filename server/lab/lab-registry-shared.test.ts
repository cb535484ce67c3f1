// The registry on a store shared by several instances (SharedLabs): nothing loaded at start,
// labs made in the store and found there by another registry on it, devices stored before
// they are handed out (once, when two consoles of one new device join at once), labs removed
// and forgotten. The store is SQLite's, in memory, behind the async interface
// (SqliteAsyncStore): a real store, whose owners stay unrecorded (one machine), so the claims
// and their events are left to tests/school-instances.test.ts, on PostgreSQL.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { LabRegistry, type SharedLabs } from './lab-registry.ts';
import { LabStore } from '../store/lab-store.ts';
import { SqliteAsyncStore } from '../store/sqlite-async-store.ts';
import type { LabEvent } from '../store/lab-events.ts';

function sharedOn(store: SqliteAsyncStore, instance: string): { shared: SharedLabs; events: LabEvent[] } {
  const events: LabEvent[] = [];
  return { shared: { store, instance, publish: (e) => events.push(e) }, events };
}

test('a lab made by one registry is found by another on the same store, with its devices', async () => {
  const store = new SqliteAsyncStore(LabStore.open(null));
  const one = sharedOn(store, 'one');
  const a = new LabRegistry(null, Date.now, undefined, one.shared);
  const b = new LabRegistry(null, Date.now, undefined, sharedOn(store, 'two').shared);
  assert.equal(a.isShared, true);
  const lab = await a.make();
  assert.deepEqual(one.events, [{ type: 'lab-created', lab: lab.code, instance: 'one' }]);
  assert.throws(() => a.create(), /make\(\)/);
  await lab.storeDevice('device-key-1');
  const device = lab.deviceFor('device-key-1')!;

  assert.equal(b.get(lab.code), undefined, 'nothing is loaded at start');
  const [found, again] = await Promise.all([b.find(lab.code.toLowerCase()), b.find(lab.code)]);
  assert.ok(found);
  assert.equal(found, again, 'two lookups at once read it once');
  assert.equal(found.number, lab.number);
  assert.equal(found.deviceFor('device-key-1')!.address, device.address);
  assert.equal(await b.find('NOSUCH'), undefined);
});

test('devices are stored before they are handed out: one new device joining twice at once is stored once', async () => {
  const store = new SqliteAsyncStore(LabStore.open(null));
  const registry = new LabRegistry(null, Date.now, undefined, sharedOn(store, 'one').shared);
  const lab = await registry.make();
  await Promise.all([lab.storeDevice('device-key-a'), lab.storeDevice('device-key-a'), lab.storeDevice('device-key-b')]);
  assert.deepEqual([...lab.devices.values()].map((d) => [d.key, d.id]), [['device-key-a', 1], ['device-key-b', 2]]);
  const stored = (await store.findLab(lab.code))!;
  assert.deepEqual(stored.devices.map((d) => [d.key, d.id]), [['device-key-a', 1], ['device-key-b', 2]]);
});

test('removeLab deletes it in the store and tells the others; forget drops it from memory only', async () => {
  const store = new SqliteAsyncStore(LabStore.open(null));
  const { shared, events } = sharedOn(store, 'one');
  const registry = new LabRegistry(null, Date.now, undefined, shared);
  const closed = await registry.make();
  const moved = await registry.make();
  assert.equal(await registry.removeLab(closed.code), true);
  assert.equal(await store.findLab(closed.code), null);
  assert.deepEqual(events.at(-1), { type: 'lab-removed', lab: closed.code, instance: 'one' });
  assert.equal(registry.forget(moved.code), moved);
  assert.equal(registry.get(moved.code), undefined);
  assert.ok(await store.findLab(moved.code), 'still in the store, for the instance that serves it now');
  assert.equal((await registry.find(moved.code))?.number, moved.number, 'and read again when asked');
});
