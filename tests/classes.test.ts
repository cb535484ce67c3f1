// Classes over a real server (issue 14, item 1): the administrator's token makes classes, each
// with its own teacher's token, join URL, reveal switch and Check results; a class's teacher
// sees its labs alone; a server with no class made is as before (one default class); a
// database of before classes is upgraded with its labs in the default class.

import { afterAll, beforeAll, onTestFinished, test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ClassInfo, PublicClass, TeacherIdentity } from '../shared/class-info.ts';
import type { TeacherSnapshot } from '../shared/teacher-snapshot.ts';
import type { CheckResultRow } from '../shared/checks/check-report.ts';
import { DB_FILE } from '../server/store/lab-store.ts';
import { startLabServer, TEST_TEACHER_TOKEN, type TestLabServer } from './support/lab-server.ts';

const ADMIN = `Bearer ${TEST_TEACHER_TOKEN}`;

let server: TestLabServer;
beforeAll(async () => {
  server = await startLabServer({ revealAnswers: false });
});
afterAll(() => server.close());

async function asTeacher<T>(token: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { authorization: token.startsWith('Bearer ') ? token : `Bearer ${token}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.baseUrl}/api/teacher${path}`, { ...init, headers });
  const text = await res.text();
  return { status: res.status, body: (text && res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text) as T };
}

async function makeClass(name: string): Promise<ClassInfo> {
  const made = await asTeacher<ClassInfo>(ADMIN, '/classes', { method: 'POST', body: JSON.stringify({ name }) });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  return made.body;
}

function slugOf(c: ClassInfo): string {
  return new URL(c.joinUrls[0]!).pathname.replace('/class/', '');
}

function tokenOf(c: ClassInfo): string {
  return new URL(c.teacherUrl!).searchParams.get('token')!;
}

async function createLabIn(slug: string | null): Promise<Response> {
  return slug === null
    ? fetch(`${server.baseUrl}/api/labs`, { method: 'POST' })
    : fetch(`${server.baseUrl}/api/labs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ class: slug }) });
}

async function labIn(slug: string | null): Promise<string> {
  const res = await createLabIn(slug);
  assert.equal(res.status, 201);
  return ((await res.json()) as { code: string }).code;
}

function reportCheck(code: string, device: string, passed: boolean): Promise<Response> {
  return fetch(`${server.baseUrl}/api/labs/${code}/checks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ device, question: 6, passed, scenarios: [{ name: 'server', passed }] }),
  });
}

test('the administrator makes classes; empty, over-long and duplicate names are refused with a reason', async () => {
  const made = await makeClass('  Year 10   Networks ');
  assert.equal(made.name, 'Year 10 Networks');
  assert.equal(made.isDefault, false);
  assert.equal(made.revealAnswers, false);
  assert.equal(made.labs, 0);
  assert.deepEqual(made.joinUrls, [`${server.baseUrl}/class/year-10-networks`]);
  assert.match(made.teacherUrl!, new RegExp(`^${server.baseUrl}/teacher\\?token=[A-Za-z0-9_-]{32}$`));
  assert.notEqual(tokenOf(made), TEST_TEACHER_TOKEN);

  for (const [name, status, error] of [
    ['', 400, /Give the class a name/],
    ['   ', 400, /Give the class a name/],
    ['x'.repeat(61), 400, /at most 60 characters/],
    ['year 10 NETWORKS', 409, /already a class named "year 10 NETWORKS"/],
    ['Default class', 409, /already a class named/],
  ] as const) {
    const refused = await asTeacher<{ error: string }>(ADMIN, '/classes', { method: 'POST', body: JSON.stringify({ name }) });
    assert.equal(refused.status, status, name);
    assert.match(refused.body.error, error);
  }
  const notText = await asTeacher<{ error: string }>(ADMIN, '/classes', { method: 'POST', body: '{"name": 10}' });
  assert.equal(notText.status, 400);
  assert.match(notText.body.error, /send \{"name": "the class's name"\}/);

  const list = await asTeacher<ClassInfo[]>(ADMIN, '/classes');
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.map((c) => [c.name, c.isDefault]).slice(0, 2), [
    ['Default class', true],
    ['Year 10 Networks', false],
  ]);
  // The default class: joined at /, its teacher the administrator (no link of its own).
  assert.deepEqual(list.body[0]!.joinUrls, [`${server.baseUrl}/`]);
  assert.equal(list.body[0]!.teacherUrl, null);
});

test('a token says who it is: the administrator, or one class\'s teacher', async () => {
  const c = await makeClass('Who am I');
  assert.deepEqual((await asTeacher<TeacherIdentity>(ADMIN, '/me')).body, { role: 'admin', class: { id: 1, name: 'Default class', isDefault: true } });
  assert.deepEqual((await asTeacher<TeacherIdentity>(tokenOf(c), '/me')).body, { role: 'class', class: { id: c.id, name: 'Who am I', isDefault: false } });
  assert.deepEqual((await asTeacher<TeacherIdentity>(ADMIN, `/me?class=${c.id}`)).body.class.id, c.id);
  assert.equal((await asTeacher(ADMIN, '/me?class=99999')).status, 404);
  assert.equal((await asTeacher(ADMIN, '/me?class=abc')).status, 400);
});

test("a class's join URL names it; its page makes labs in that class; no class or none named: the default class", async () => {
  const c = await makeClass('Join Me');
  const slug = slugOf(c);
  const info = await fetch(`${server.baseUrl}/api/classes/${slug}`);
  assert.equal(info.status, 200);
  assert.deepEqual((await info.json()) as PublicClass, { name: 'Join Me' });
  assert.equal((await fetch(`${server.baseUrl}/api/classes/no-such-class`)).status, 404);

  const inClass = await labIn(slug);
  const plain = await labIn(null);
  assert.equal(server.registry.get(inClass)!.classId, c.id);
  assert.equal(server.registry.get(plain)!.classId, 1);
  const wrong = await createLabIn('no-such-class');
  assert.equal(wrong.status, 404);
  assert.match(((await wrong.json()) as { error: string }).error, /there is no class no-such-class/);
  const bad = await fetch(`${server.baseUrl}/api/labs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"class": 3}' });
  assert.equal(bad.status, 400);
  // Lab codes are unique across classes; the lab's own URLs do not change.
  assert.notEqual(inClass, plain);
  assert.equal((await fetch(`${server.baseUrl}/api/labs/${inClass}`)).status, 200);
});

test("a class's teacher sees its labs alone; the administrator's default view is the default class; ?class= opens another", async () => {
  const a = await makeClass('Scoped A');
  const b = await makeClass('Scoped B');
  const labA = await labIn(slugOf(a));
  const labB = await labIn(slugOf(b));
  const labDefault = await labIn(null);

  const seenByA = await asTeacher<TeacherSnapshot>(tokenOf(a), '/snapshot');
  assert.deepEqual(seenByA.body.labs.map((l) => l.code), [labA]);
  assert.deepEqual(seenByA.body.class, { id: a.id, name: 'Scoped A', isDefault: false });
  assert.deepEqual(seenByA.body.joinUrls, [`${server.baseUrl}/class/${slugOf(a)}`]);
  const adminDefault = (await asTeacher<TeacherSnapshot>(ADMIN, '/snapshot')).body;
  assert.ok(adminDefault.labs.some((l) => l.code === labDefault));
  assert.ok(!adminDefault.labs.some((l) => l.code === labA || l.code === labB), "the default view does not mix in other classes' labs");
  assert.deepEqual(adminDefault.joinUrls, [`${server.baseUrl}/`]);
  assert.deepEqual((await asTeacher<TeacherSnapshot>(ADMIN, `/snapshot?class=${b.id}`)).body.labs.map((l) => l.code), [labB]);

  // Closing a lab: another class's teacher is told there is no such lab, and it stays.
  const refused = await asTeacher<{ error: string }>(tokenOf(a), `/labs/${labB}`, { method: 'DELETE' });
  assert.equal(refused.status, 404);
  assert.match(refused.body.error, /there is no lab with the code/);
  assert.ok(server.registry.get(labB));
  assert.equal((await asTeacher(tokenOf(b), `/labs/${labB}`, { method: 'DELETE' })).status, 204);
  assert.equal(server.registry.get(labB), undefined);
  // The administrator may close any class's lab.
  assert.equal((await asTeacher(ADMIN, `/labs/${labA}`, { method: 'DELETE' })).status, 204);
});

test("a class's live feed carries its labs alone, live", async () => {
  const a = await makeClass('Feed A');
  const abort = new AbortController();
  onTestFinished(() => abort.abort());
  const res = await fetch(`${server.baseUrl}/api/teacher/events`, { headers: { authorization: `Bearer ${tokenOf(a)}` }, signal: abort.signal });
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const nextSnapshot = async (test: (s: TeacherSnapshot) => boolean): Promise<TeacherSnapshot> => {
    for (;;) {
      for (const m of text.matchAll(/event: snapshot\ndata: (.*)\n\n/g)) {
        const s = JSON.parse(m[1]!) as TeacherSnapshot;
        if (test(s)) return s;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('the feed ended');
      text += decoder.decode(value, { stream: true });
    }
  };
  assert.deepEqual((await nextSnapshot(() => true)).labs, []);
  await labIn(null); // another class's lab: not in this feed
  const code = await labIn(slugOf(a));
  await server.openConsole(code, `feed-a-${code}`);
  const seen = await nextSnapshot((s) => s.labs.some((l) => l.code === code && l.devices.length === 1));
  assert.deepEqual(seen.labs.map((l) => l.code), [code]);
});

test("Check results and their CSV are the class's: its labs', live and ended", async () => {
  const a = await makeClass('Checks A');
  const labA = await labIn(slugOf(a));
  const labDefault = await labIn(null);
  server.registry.get(labA)!.deviceFor('checks-key-a');
  server.registry.get(labDefault)!.deviceFor('checks-key-d');
  assert.equal((await reportCheck(labA, 'checks-key-a', true)).status, 201);
  assert.equal((await reportCheck(labDefault, 'checks-key-d', false)).status, 201);

  const ofA = (await asTeacher<CheckResultRow[]>(tokenOf(a), '/checks')).body;
  assert.deepEqual(ofA.map((r) => [r.lab, r.passed]), [[labA, true]]);
  const csv = await fetch(`${server.baseUrl}/api/teacher/checks.csv`, { headers: { authorization: `Bearer ${tokenOf(a)}` } });
  assert.match(csv.headers.get('content-disposition')!, /filename="socket-lab-checks-checks-a\.csv"/);
  const lines = (await csv.text()).trim().split('\r\n');
  assert.equal(lines.length, 2);
  assert.ok(lines[1]!.startsWith(`${labA},`));
  const ofDefault = (await asTeacher<CheckResultRow[]>(ADMIN, '/checks')).body;
  assert.ok(ofDefault.some((r) => r.lab === labDefault) && !ofDefault.some((r) => r.lab === labA));
  assert.deepEqual((await asTeacher<CheckResultRow[]>(ADMIN, `/checks?class=${a.id}`)).body.map((r) => r.lab), [labA]);

  // A lab that ends keeps its results in its class's table.
  server.registry.removeEnded(labA, Date.now());
  assert.deepEqual((await asTeacher<CheckResultRow[]>(tokenOf(a), '/checks')).body.map((r) => [r.lab, r.labEnded]), [[labA, true]]);
  assert.ok(!(await asTeacher<CheckResultRow[]>(ADMIN, '/checks')).body.some((r) => r.lab === labA));
});

test("a class's reveal switch reaches its consoles alone and lets them alone run the answers", async () => {
  const a = await makeClass('Reveal A');
  const labA = await labIn(slugOf(a));
  const labDefault = await labIn(null);
  const inA = await server.openConsole(labA, `reveal-a-${labA}`);
  const inDefault = await server.openConsole(labDefault, `reveal-d-${labDefault}`);
  let defaultHeard = false;
  inDefault.onReveal(() => (defaultHeard = true));

  const heard = new Promise<boolean>((resolve) => inA.onReveal(resolve));
  const on = await asTeacher<{ revealAnswers: boolean }>(tokenOf(a), '/reveal', { method: 'POST', body: '{"revealAnswers":true}' });
  assert.deepEqual(on.body, { revealAnswers: true });
  assert.equal(await heard, true);
  assert.equal((await asTeacher<TeacherSnapshot>(tokenOf(a), '/snapshot')).body.revealAnswers, true);
  assert.equal((await asTeacher<TeacherSnapshot>(ADMIN, '/snapshot')).body.revealAnswers, false);
  const { pid } = await inA.call({ op: 'spawn', name: 'guess_server', argv: [] });
  assert.ok(pid > 0);
  await inA.call({ op: 'exit', pid });
  // The broadcast went out before the reveal's answer: an answer on the default class's
  // console after it would come after any reveal message sent to it.
  await assert.rejects(inDefault.call({ op: 'spawn', name: 'guess_server', argv: [] }), /no such program/);
  assert.equal(defaultHeard, false);
  assert.equal(inDefault.revealAnswers, false);
  // A console opened now in each class gets its class's state in its welcome.
  assert.equal((await server.openConsole(labA, `reveal-a2-${labA}`)).revealAnswers, true);
  assert.equal((await server.openConsole(labDefault, `reveal-d2-${labDefault}`)).revealAnswers, false);
  // /api/settings is the default class's, as before classes.
  assert.deepEqual(await (await fetch(`${server.baseUrl}/api/settings`)).json(), { revealAnswers: false });
  await asTeacher(tokenOf(a), '/reveal', { method: 'POST', body: '{"revealAnswers":false}' });
});

test('a database of before classes (schema version 3) is upgraded: its labs, results and reveal switch are the default class\'s; classes outlive a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'socket-lab-classes-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  // Version 3's schema as it was released (migrations are never edited, so this stays true).
  const db = new Database(join(dir, DB_FILE));
  db.exec(`CREATE TABLE labs (code TEXT PRIMARY KEY, number INTEGER NOT NULL UNIQUE, created_at INTEGER NOT NULL);
    CREATE TABLE devices (lab_code TEXT NOT NULL REFERENCES labs(code), id INTEGER NOT NULL, key TEXT NOT NULL, last_seen INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (lab_code, id), UNIQUE (lab_code, key));
    CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE check_results (lab_code TEXT NOT NULL, device_id INTEGER NOT NULL, question INTEGER NOT NULL, passed INTEGER NOT NULL,
      scenarios TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (lab_code, device_id, question),
      FOREIGN KEY (lab_code, device_id) REFERENCES devices(lab_code, id));
    CREATE TABLE ended_check_results (lab_code TEXT NOT NULL, lab_number INTEGER NOT NULL, lab_created_at INTEGER NOT NULL, lab_ended_at INTEGER NOT NULL,
      device_id INTEGER NOT NULL, question INTEGER NOT NULL, passed INTEGER NOT NULL, scenarios TEXT NOT NULL, at INTEGER NOT NULL,
      PRIMARY KEY (lab_code, lab_created_at, device_id, question));
    INSERT INTO labs VALUES ('OLDLAB', 1, 1000);
    INSERT INTO devices VALUES ('OLDLAB', 1, 'key-old', ${Date.now()});
    INSERT INTO check_results VALUES ('OLDLAB', 1, 6, 1, '[{"name":"server","passed":true}]', 2000);
    INSERT INTO ended_check_results VALUES ('GONE23', 2, 500, 900, 1, 10, 0, '[{"name":"first try","passed":false}]', 800);
    INSERT INTO settings VALUES ('reveal_answers', '1');`);
  db.pragma('user_version = 3');
  db.close();

  const old = await startLabServer({ dataDir: dir, revealAnswers: false });
  let made: ClassInfo;
  let newLab: string;
  try {
    const base = old.baseUrl;
    const get = async <T>(path: string, token = TEST_TEACHER_TOKEN) =>
      (await (await fetch(`${base}/api/teacher${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
    const snap = await get<TeacherSnapshot>('/snapshot');
    assert.deepEqual(snap.labs.map((l) => l.code), ['OLDLAB']);
    assert.equal(snap.revealAnswers, true, 'the reveal switch of before is the default class\'s');
    assert.deepEqual(snap.class, { id: 1, name: 'Default class', isDefault: true });
    assert.deepEqual((await get<CheckResultRow[]>('/checks')).map((r) => [r.lab, r.labEnded]), [
      ['GONE23', true],
      ['OLDLAB', false],
    ]);
    assert.deepEqual((await get<ClassInfo[]>('/classes')).map((c) => c.name), ['Default class']);
    const res = await fetch(`${base}/api/teacher/classes`, {
      method: 'POST',
      headers: { authorization: ADMIN, 'content-type': 'application/json' },
      body: '{"name":"After the upgrade"}',
    });
    made = (await res.json()) as ClassInfo;
    const lab = await fetch(`${base}/api/labs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"class":"after-the-upgrade"}' });
    newLab = ((await lab.json()) as { code: string }).code;
    const reveal = await fetch(`${base}/api/teacher/reveal`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenOf(made)}`, 'content-type': 'application/json' },
      body: '{"revealAnswers":false}',
    });
    assert.equal(reveal.status, 200);
  } finally {
    await old.close();
  }

  // After a restart: the class, its token, its lab and its switch are as they were.
  const again = await startLabServer({ dataDir: dir, revealAnswers: false });
  try {
    const res = await fetch(`${again.baseUrl}/api/teacher/snapshot`, { headers: { authorization: `Bearer ${tokenOf(made)}` } });
    assert.equal(res.status, 200);
    const snap = (await res.json()) as TeacherSnapshot;
    assert.deepEqual(snap.labs.map((l) => l.code), [newLab]);
    assert.equal(snap.revealAnswers, false);
    assert.equal(again.classes.get(1)!.revealAnswers, true);
    assert.deepEqual(again.classes.all().map((c) => [c.name, c.slug]), [
      ['Default class', ''],
      ['After the upgrade', 'after-the-upgrade'],
    ]);
  } finally {
    await again.close();
  }
});
