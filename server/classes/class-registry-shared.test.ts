// The classes on a store shared by several instances (ClassRegistry.openShared): a class made
// through one registry is found by another by its slug, token or id (read again on a miss), a
// name taken through another is refused even when this one had not heard of it, and a switch
// is stored. The store is SQLite's, in memory, behind the async interface (SqliteAsyncStore):
// the same contract as PostgreSQL's (tests/store-contract.test.ts).

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ClassRefusal, ClassRegistry } from './class-registry.ts';
import { LabStore } from '../store/lab-store.ts';
import { SqliteAsyncStore } from '../store/sqlite-async-store.ts';

test('a class made through one registry is found by another; a name taken there is refused here', async () => {
  const store = new SqliteAsyncStore(LabStore.open(null));
  const one = await ClassRegistry.openShared(store);
  const two = await ClassRegistry.openShared(store);
  const made = await one.make('Room 12 Networks');
  assert.equal(two.bySlug(made.slug), undefined, 'not known before a lookup');
  assert.equal((await two.lookUpBySlug(made.slug))?.id, made.id);
  assert.equal((await two.lookUpByToken(made.token))?.id, made.id);
  assert.equal((await two.lookUp(made.id))?.name, 'Room 12 Networks');
  assert.equal(await two.lookUpByToken(null), undefined);
  assert.equal(await two.lookUpByToken('not-a-token-of-any-class'), undefined);

  // Made on "two" meanwhile: "one" reads the classes again before making one, and refuses the name.
  await two.make('Period 4');
  await assert.rejects(one.make('period 4'), (err: unknown) => err instanceof ClassRefusal && err.status === 409);
  assert.deepEqual((await one.listAll()).map((c) => c.name), ['Default class', 'Room 12 Networks', 'Period 4']);
  assert.throws(() => one.create('Sync on a shared store'), /async methods/);
});

test("a class's switch is stored, and another registry learns it when told", async () => {
  const store = new SqliteAsyncStore(LabStore.open(null));
  const one = await ClassRegistry.openShared(store);
  const two = await ClassRegistry.openShared(store);
  const made = await one.make('Switches');
  await one.switchReveal(made.id, true);
  assert.equal(one.revealed(made.id), true);
  assert.equal((await store.loadClasses()).find((c) => c.id === made.id)?.revealAnswers, true);
  await two.lookUp(made.id);
  assert.equal(two.heardRevealAnswers(made.id, true), true);
  assert.equal(two.revealed(made.id), true);
});
