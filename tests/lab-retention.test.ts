// Labs that end, over a real server whose clock the test moves on by hours (the sweep is
// called by the test rather than waited for): a lab with no console for --lab-retention is
// removed and its code stops working, while its Check results stay in the teacher's CSV; a
// lab reopened in time comes back as it was; the teacher's snapshot says which labs are in
// use and sorts them first; and a restart neither makes old labs fresh nor ends them early.

import { onTestFinished, test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TeacherLab, TeacherSnapshot } from '../shared/teacher-snapshot.ts';
import { startLabServer, TEST_TEACHER_TOKEN, type TestLabServer } from './support/lab-server.ts';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const RETENTION_MS = 12 * HOUR_MS;
const AS_TEACHER = { authorization: `Bearer ${TEST_TEACHER_TOKEN}` };

/** Real time plus an offset the test moves on (the bridge stamps consoles with real time). */
function movableClock() {
  const clock = { offsetMs: 0, now: () => Date.now() + clock.offsetMs };
  return clock;
}

async function snapshot(server: TestLabServer): Promise<TeacherSnapshot> {
  const res = await fetch(`${server.baseUrl}/api/teacher/snapshot`, { headers: AS_TEACHER });
  assert.equal(res.status, 200);
  return (await res.json()) as TeacherSnapshot;
}

function labOf(snap: TeacherSnapshot, code: string): TeacherLab | undefined {
  return snap.labs.find((l) => l.code === code);
}

/** Waits until the server has seen every console of the lab close. */
async function noConsoleOpen(server: TestLabServer, code: string): Promise<void> {
  while (server.registry.get(code)!.consolesOpen > 0) await new Promise((resolve) => setImmediate(resolve));
}

function report(server: TestLabServer, code: string, device: string): Promise<Response> {
  return fetch(`${server.baseUrl}/api/labs/${code}/checks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ device, question: 10, passed: true, scenarios: [{ name: 'a win on the first try', passed: true }] }),
  });
}

test('an unused lab is removed after the retention: its code stops working, its Check results stay in the CSV', async () => {
  const clock = movableClock();
  const server = await startLabServer({ labRetentionMs: RETENTION_MS }, { now: clock.now });
  onTestFinished(() => server.close());
  const used = await server.createLab();
  const inUse = await server.createLab();
  const never = await server.createLab();
  const usedKey = `used-${used}`;
  const student = await server.openConsole(used, usedKey);
  const address = student.welcome.device.address;
  assert.equal((await report(server, used, usedKey)).status, 201);
  const working = await server.openConsole(inUse, `in-use-${inUse}`);
  student.close();
  await noConsoleOpen(server, used);

  // Two minutes on: the lab in use first, then the others, the most recently used first.
  clock.offsetMs = 2 * MINUTE_MS;
  let snap = await snapshot(server);
  const mine = snap.labs.filter((l) => [used, inUse, never].includes(l.code));
  assert.deepEqual(
    mine.map((l) => [l.code, l.state]),
    [
      [inUse, 'open'],
      [used, 'idle'],
      [never, 'idle'],
    ],
  );
  assert.equal(labOf(snap, inUse)!.removeAt, null, 'a lab with a console open is not going anywhere');
  assert.equal(labOf(snap, used)!.removeAt, labOf(snap, used)!.lastActive + RETENTION_MS);

  // Twenty minutes on the unused labs have ended, but they are still there.
  clock.offsetMs = 20 * MINUTE_MS;
  snap = await snapshot(server);
  assert.deepEqual([labOf(snap, used)!.state, labOf(snap, never)!.state, labOf(snap, inUse)!.state], ['ended', 'ended', 'open']);
  assert.deepEqual(server.retention.sweep(), []);
  assert.equal((await fetch(`${server.baseUrl}/api/labs/${used}`)).status, 200);

  // Past the retention: the sweep removes them; the lab in use stays.
  clock.offsetMs = RETENTION_MS + MINUTE_MS;
  assert.deepEqual(server.retention.sweep().sort(), [used, never].sort());
  for (const code of [used, never]) {
    assert.equal((await fetch(`${server.baseUrl}/api/labs/${code}`)).status, 404, `${code} is gone`);
    assert.equal(labOf(await snapshot(server), code), undefined);
  }
  await assert.rejects(server.openConsole(used, usedKey), /no lab with the code/);
  assert.ok(!working.closed, "the lab in use keeps its console");
  assert.ok((await working.call({ op: 'ipconfig' })).address);

  // The removed lab's result, with its device and question, for the teacher.
  const rows = (await (await fetch(`${server.baseUrl}/api/teacher/checks`, { headers: AS_TEACHER })).json()) as { lab: string; labEnded: boolean; address: string; question: number }[];
  assert.deepEqual(rows.filter((r) => r.lab === used), [{ ...rows.find((r) => r.lab === used)!, labEnded: true, address, question: 10 }]);
  const csv = await (await fetch(`${server.baseUrl}/api/teacher/checks.csv`, { headers: AS_TEACHER })).text();
  assert.match(csv, new RegExp(`\\r\\n${used},${address.replace(/\./g, '\\.')},10,passed,1,1,\\d{4}-`));
});

test('a lab reopened within the retention comes back with its devices and addresses', async () => {
  const clock = movableClock();
  const server = await startLabServer({ labRetentionMs: RETENTION_MS }, { now: clock.now });
  onTestFinished(() => server.close());
  const code = await server.createLab();
  const first = await server.openConsole(code, `back-a-${code}`);
  const second = await server.openConsole(code, `back-b-${code}`);
  first.close();
  second.close();
  await noConsoleOpen(server, code);

  clock.offsetMs = RETENTION_MS - MINUTE_MS;
  assert.deepEqual(server.retention.sweep(), []);
  assert.equal(labOf(await snapshot(server), code)!.state, 'ended');
  const again = await server.openConsole(code, `back-b-${code}`);
  assert.deepEqual(again.welcome.device, second.welcome.device);
  assert.equal(labOf(await snapshot(server), code)!.state, 'open');
  // A sweep while it is open sees it in use; its retention counts from then.
  assert.deepEqual(server.retention.sweep(), []);
  clock.offsetMs = RETENTION_MS + HOUR_MS;
  again.close();
  await noConsoleOpen(server, code);
  assert.deepEqual(server.retention.sweep(), []);
  assert.equal((await fetch(`${server.baseUrl}/api/labs/${code}`)).status, 200);
});

test('--lab-retention 0 keeps every lab', async () => {
  const clock = movableClock();
  const server = await startLabServer({ labRetentionMs: 0 }, { now: clock.now });
  onTestFinished(() => server.close());
  const code = await server.createLab();
  clock.offsetMs = 1000 * HOUR_MS;
  assert.deepEqual(server.retention.sweep(), []);
  const lab = labOf(await snapshot(server), code)!;
  assert.deepEqual([lab.state, lab.removeAt], ['ended', null]);
});

test("a restart keeps when each lab was last used: it neither looks fresh nor ends early", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'socket-lab-retention-'));
  onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
  const first = await startLabServer({ dataDir, labRetentionMs: RETENTION_MS });
  const used = await first.createLab();
  await first.openConsole(used, `restart-${used}`);
  // Left open: it closes as the server stops, and that is its last use (written as the store closes).
  const closingAt = Date.now();
  await first.close();
  const stoppedAt = Date.now();

  // Eleven hours later: the lab has ended but is kept, its last use as before the restart.
  const laterClock = movableClock();
  laterClock.offsetMs = 11 * HOUR_MS;
  const later = await startLabServer({ dataDir, labRetentionMs: RETENTION_MS }, { now: laterClock.now });
  const lab = labOf(await snapshot(later), used)!;
  assert.equal(lab.state, 'ended');
  assert.ok(lab.lastActive >= closingAt && lab.lastActive <= stoppedAt, `last active ${lab.lastActive}, stopped between ${closingAt} and ${stoppedAt}`);
  await later.close();

  // Thirteen hours later: the sweep at start removes it.
  const muchLaterClock = movableClock();
  muchLaterClock.offsetMs = 13 * HOUR_MS;
  const muchLater = await startLabServer({ dataDir, labRetentionMs: RETENTION_MS }, { now: muchLaterClock.now });
  onTestFinished(() => muchLater.close());
  assert.equal((await fetch(`${muchLater.baseUrl}/api/labs/${used}`)).status, 404);
});
