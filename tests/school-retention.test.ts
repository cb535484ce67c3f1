// The sweep of a school's shared database (--database, LabRetention.sweepShared): one instance's
// sweep ends a lab another instance serves; that instance hears it (lab-removed) and lets the
// lab go; the lab's Check results stay its class's, as ended. Two servers built in this process
// on one real PostgreSQL database, with a clock the test moves on by hours.

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { startPostgres, type TestPostgres } from './support/postgres.ts';
import { startLabServer, type TestLabServer } from './support/lab-server.ts';

const HOUR_MS = 3_600_000;
let postgres: TestPostgres;
const clock = { now: Date.now() };
let a: TestLabServer;
let b: TestLabServer;

beforeAll(async () => {
  postgres = await startPostgres();
  const url = await postgres.newDatabase();
  const database = { url, shown: url };
  a = await startLabServer({ database, instanceName: 'sweep-a', labRetentionMs: HOUR_MS }, { now: () => clock.now });
  b = await startLabServer({ database, instanceName: 'sweep-b', labRetentionMs: HOUR_MS }, { now: () => clock.now });
}, 120_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await postgres?.stop();
}, 60_000);

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

test("one instance's sweep ends a lab another serves; that one lets it go; its Check results are kept as ended", async () => {
  assert.equal(a.store, null, 'no SQLite store with --database');
  const code = await a.createLab();
  const kept = await a.createLab();
  const session = await b.openConsole(code, 'sweep-device-1');
  const report = { device: 'sweep-device-1', question: 6, passed: true, scenarios: [{ name: 'server', passed: true }] };
  const saved = await fetch(`${b.baseUrl}/api/labs/${code}/checks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(report) });
  assert.equal(saved.status, 201);
  session.close();
  await until(() => b.registry.get(code)?.consolesOpen === 0);

  // Two hours on; the other lab was used a moment ago (its device seen now, on A).
  clock.now += 2 * HOUR_MS;
  const other = await a.openConsole(kept, 'sweep-device-2');
  const removed = await a.retention.sweepShared();
  assert.deepEqual(removed, [code]);
  await until(() => b.registry.get(code) === undefined);
  assert.equal((await fetch(`${b.baseUrl}/api/labs/${code}`)).status, 404);
  assert.equal((await fetch(`${a.baseUrl}/api/labs/${kept}`)).status, 200);
  other.close();

  const results = await a.school!.store.checkResults(1);
  const row = results.find((r) => r.lab === code);
  assert.ok(row, JSON.stringify(results));
  assert.equal(row.labEnded, true);
});
