// Two real server processes on one real PostgreSQL database (--database), reached directly
// (HAProxy's part, routing each code to one instance, is tests/haproxy-*.test.ts and the whole
// school's test): a lab made on one is used on the other with its devices and addresses; a
// class made on one is joined on the other, its reveal switch reaching consoles there and its
// Check results read from either; a teacher's feed on one follows live a lab the other serves;
// and a lab taken over by one instance while another was dead moves back when it returns: the
// instance holding it closes its consoles with 1012.
// Needs the built page (npm run build; npm test builds first).

import { afterAll, beforeAll, onTestFinished, test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';
import { startPostgres, type TestPostgres } from './support/postgres.ts';
import { BridgeSession, type WebSocketLike } from '../web/common/bridge/bridge-session.ts';
import type { TeacherSnapshot } from '../shared/teacher-snapshot.ts';
import { CLOSE_CODES } from '../shared/bridge-protocol.ts';
import { WORKER_HEADER } from '../server/workers/worker-messages.ts';

const TOKEN = 'school-instances-token';
let postgres: TestPostgres;
let database: string;
let dir: string;
const running: ServerProcess[] = [];

/** An instance on the shared database, one process unless `workers` says more. */
function startInstance(name: string, workers = 1): Promise<ServerProcess> {
  return startServerProcess({
    workers,
    // Its own --data and the test's token: lab1, killed and started again, comes back on the same folder.
    args: ['--database', database, '--instance-name', name, '--data', join(dir, name), '--teacher-token', TOKEN, '--log-level', 'warn'],
  }).then((p) => {
    running.push(p);
    return p;
  });
}

let a: ServerProcess;
let b: ServerProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'socket-lab-school-'));
  postgres = await startPostgres();
  database = await postgres.newDatabase();
  // One after the other: the first migrates the new database (the second would wait on its lock anyway).
  a = await startInstance('lab1');
  b = await startInstance('lab2');
}, 180_000);

afterAll(async () => {
  for (const p of running) await p.stop();
  await postgres?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function json<T>(res: Response | Promise<Response>, status = 200): Promise<T> {
  const r = await res;
  const text = await r.text();
  assert.equal(r.status, status, text);
  return JSON.parse(text) as T;
}

const asTeacher = (token = TOKEN) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

async function newLab(on: ServerProcess, classSlug?: string): Promise<string> {
  const body = classSlug === undefined ? undefined : JSON.stringify({ class: classSlug });
  const headers = body === undefined ? undefined : { 'content-type': 'application/json' };
  return (await json<{ code: string }>(fetch(`${on.baseUrl}/api/labs`, { method: 'POST', body, headers }), 201)).code;
}

async function openConsole(on: ServerProcess, code: string, device: string): Promise<BridgeSession> {
  const ws = new WebSocket(`ws://127.0.0.1:${on.port}/ws?lab=${code}`, { headers: { origin: on.baseUrl } }) as unknown as WebSocketLike;
  const session = await BridgeSession.open(ws, code, device);
  onTestFinished(() => session.close());
  return session;
}

function closed(session: BridgeSession): Promise<number | null> {
  if (session.closed) return Promise.resolve(session.closeCode);
  return new Promise((resolve) => session.onClose(() => resolve(session.closeCode)));
}

async function newClass(on: ServerProcess, name: string): Promise<{ id: number; slug: string; token: string }> {
  const made = await json<{ id: number; joinUrls: string[]; teacherUrl: string }>(
    fetch(`${on.baseUrl}/api/teacher/classes`, { method: 'POST', headers: asTeacher(), body: JSON.stringify({ name }) }),
    201,
  );
  const slug = new URL(made.joinUrls[0]!).pathname.replace('/class/', '');
  const token = new URL(made.teacherUrl).searchParams.get('token')!;
  return { id: made.id, slug, token };
}

test('a lab made through one instance is used on the other, with the same devices and addresses', async () => {
  const code = await newLab(a);
  const first = await openConsole(a, code, 'school-device-1');
  const address = first.welcome.device.address;
  first.close();

  const again = await openConsole(b, code, 'school-device-1');
  assert.equal(again.welcome.lab, code);
  assert.deepEqual(again.welcome.device, { id: 1, address }, 'the device and its address come from the database');
  const second = await openConsole(b, code, 'school-device-2');
  assert.equal(second.welcome.device.id, 2);
  const lab = await json<{ devices: { id: number; address: string }[] }>(fetch(`${b.baseUrl}/api/labs/${code}`));
  assert.deepEqual(lab.devices.map((d) => d.id).sort(), [1, 2]);
  assert.equal(lab.devices.find((d) => d.id === 1)!.address, address);
});

test("a class made on one instance is joined on the other; its reveal switch reaches consoles there; its Check results are read on either", async () => {
  const c = await newClass(a, 'Room 7 Sockets');
  assert.deepEqual(await json(fetch(`${b.baseUrl}/api/classes/${c.slug}`)), { name: 'Room 7 Sockets' });
  const me = await json<{ role: string; class: { id: number } }>(fetch(`${b.baseUrl}/api/teacher/me`, { headers: asTeacher(c.token) }));
  assert.deepEqual([me.role, me.class.id], ['class', c.id]);

  const code = await newLab(b, c.slug);
  const student = await openConsole(b, code, 'class-device-1');
  assert.equal(student.welcome.revealAnswers, false);
  const revealed = new Promise<boolean>((resolve) => student.onReveal(resolve));
  await json(fetch(`${a.baseUrl}/api/teacher/reveal`, { method: 'POST', headers: asTeacher(c.token), body: JSON.stringify({ revealAnswers: true }) }));
  assert.equal(await revealed, true, 'the switch on A reaches the console on B');

  // A Check reported on B, read by the class's teacher on A (JSON and CSV): from the shared database.
  const report = { device: 'class-device-1', question: 6, passed: true, scenarios: [{ name: 'server', passed: true }] };
  await json(fetch(`${b.baseUrl}/api/labs/${code}/checks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(report) }), 201);
  const rows = await json<{ lab: string; question: number; passed: boolean }[]>(fetch(`${a.baseUrl}/api/teacher/checks`, { headers: asTeacher(c.token) }));
  assert.deepEqual(rows.map((r) => [r.lab, r.question, r.passed]), [[code, 6, true]]);
  const csv = await (await fetch(`${a.baseUrl}/api/teacher/checks.csv`, { headers: asTeacher(c.token) })).text();
  assert.match(csv, new RegExp(code));

  // The administrator's Classes panel on A counts the class's lab on B.
  const classes = await json<{ id: number; labs: number }[]>(fetch(`${a.baseUrl}/api/teacher/classes`, { headers: asTeacher() }));
  assert.equal(classes.find((k) => k.id === c.id)?.labs, 1);

  // The class's teacher closes the lab on A: its console on B hears that the teacher closed it.
  const gone = closed(student);
  const res = await fetch(`${a.baseUrl}/api/teacher/labs/${code}`, { method: 'DELETE', headers: { authorization: `Bearer ${c.token}` } });
  assert.equal(res.status, 204);
  assert.equal(await gone, CLOSE_CODES.LAB_CLOSED);
  assert.equal((await fetch(`${b.baseUrl}/api/labs/${code}`)).status, 404);
});

test("a teacher's feed on one instance lists a lab the other serves and follows it live", async () => {
  const c = await newClass(b, 'Feed class');
  const code = await newLab(b, c.slug);
  const snapshot = await json<TeacherSnapshot>(fetch(`${a.baseUrl}/api/teacher/snapshot`, { headers: asTeacher(c.token) }));
  assert.deepEqual(snapshot.labs.map((l) => l.code), [code], "A lists B's lab of the class");

  // The live feed on A, read as the page reads it; a console opens on B.
  const feed = await fetch(`${a.baseUrl}/api/teacher/events?token=${c.token}`);
  const reader = feed.body!.getReader();
  onTestFinished(() => reader.cancel());
  const decoder = new TextDecoder();
  let buffered = '';
  const nextSnapshot = async (): Promise<TeacherSnapshot> => {
    for (;;) {
      const end = buffered.indexOf('\n\n');
      if (end >= 0) {
        const event = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const data = event.split('\n').find((l) => l.startsWith('data: '));
        if (event.includes('event: snapshot') && data) return JSON.parse(data.slice(6)) as TeacherSnapshot;
        continue;
      }
      const { value, done } = await reader.read();
      assert.ok(!done, 'the feed ended');
      buffered += decoder.decode(value, { stream: true });
    }
  };
  const before = await nextSnapshot();
  assert.equal(before.labs.find((l) => l.code === code)?.devices.length, 0);
  const student = await openConsole(b, code, 'feed-device-1');
  for (;;) {
    const card = (await nextSnapshot()).labs.find((l) => l.code === code);
    const device = card?.devices[0];
    // Consoles open and their shells come from B itself (the database knows neither).
    if (device && device.consoles === 1 && device.processes.length > 0) {
      assert.equal(device.address, student.welcome.device.address);
      assert.equal(card.state, 'open');
      break;
    }
  }
});

test('a lab moves back to its instance when it returns: the instance that took it over closes its consoles with 1012', async () => {
  const code = await newLab(a);
  const onA = await openConsole(a, code, 'moving-device-1');
  const address = onA.welcome.device.address;
  const cut = closed(onA);
  await a.kill();
  await cut;

  // A is gone: its lab is served by B (as HAProxy would send it there), with its device.
  const onB = await openConsole(b, code, 'moving-device-1');
  assert.equal(onB.welcome.device.address, address);
  const movedAway = closed(onB);

  // A comes back (the same name, the same database) and is asked for the lab again.
  a = await startInstance('lab1');
  const back = await openConsole(a, code, 'moving-device-1');
  assert.equal(back.welcome.device.address, address);
  assert.equal(await movedAway, CLOSE_CODES.SERVICE_RESTART, "B let the lab's console go, to reconnect to A");
});

test('an instance with lab workers (--workers 2) on the shared database: labs made on it and elsewhere, seen from another instance', async () => {
  const c = await startInstance('lab3', 2);
  // Labs made on it go to each worker in turn: two labs, one on each.
  const made = [await newLab(c), await newLab(c)];
  const workerOf = async (code: string) => {
    const res = await fetch(`${c.baseUrl}/api/labs/${code}`);
    await res.arrayBuffer();
    return res.headers.get(WORKER_HEADER)?.split('/')[0];
  };
  assert.notEqual(await workerOf(made[0]!), await workerOf(made[1]!), 'made on both workers');
  const elsewhere = await newLab(b);
  const consoles = [];
  for (const code of [...made, elsewhere]) consoles.push(await openConsole(c, code, 'workers-device-1'));
  assert.deepEqual(consoles.map((s) => s.welcome.device.id), [1, 1, 1]);

  // A teacher on B sees the labs served by C's workers with their consoles open (fetched from C,
  // through its front, from the worker holding each).
  const snapshot = await json<TeacherSnapshot>(fetch(`${b.baseUrl}/api/teacher/snapshot`, { headers: asTeacher() }));
  for (const code of [...made, elsewhere]) {
    const card = snapshot.labs.find((l) => l.code === code);
    assert.equal(card?.devices[0]?.consoles, 1, `${code}: ${JSON.stringify(card)}`);
  }
});
