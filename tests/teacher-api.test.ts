// The teacher's API over a real server and real WebSockets: the token, the class snapshot
// and its live feed, the reveal switch reaching every console, closing a lab, and who may
// read a lab's netstat.

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { CLOSE_CODES, PROTOCOL_VERSION } from '../shared/bridge-protocol.ts';
import { EventStreamParser } from '../shared/event-stream.ts';
import type { TeacherSnapshot } from '../shared/teacher-snapshot.ts';
import { BridgeSession, type WebSocketLike } from '../web/common/bridge/bridge-session.ts';
import { connectedPair } from './support/connected-pair.ts';
import { startLabServer, TEST_TEACHER_TOKEN, type TestLabServer } from './support/lab-server.ts';

const WEB_ROOT = fileURLToPath(new URL('../dist/web', import.meta.url));
const CHROME_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const AS_TEACHER = { authorization: `Bearer ${TEST_TEACHER_TOKEN}` };

let server: TestLabServer;
beforeAll(async () => {
  server = await startLabServer({ webRoot: WEB_ROOT, revealAnswers: false });
});
afterAll(() => server.close());

function teacherFetch(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server.baseUrl}${path}`, { ...init, headers: { ...AS_TEACHER, ...(init.headers as Record<string, string>) } });
}

async function snapshot(): Promise<TeacherSnapshot> {
  const res = await teacherFetch('/api/teacher/snapshot');
  assert.equal(res.status, 200);
  return (await res.json()) as TeacherSnapshot;
}

/** A console of a device whose browser sends this User-Agent. */
async function consoleWithAgent(code: string, deviceKey: string, userAgent: string): Promise<BridgeSession> {
  const ws = new WebSocket(server.wsUrl, { headers: { 'user-agent': userAgent } }) as unknown as WebSocketLike;
  return BridgeSession.open(ws, code, deviceKey);
}

/** A raw console that has said hello, to see the close code the server sends it. */
async function rawConsole(code: string, deviceKey: string): Promise<{ closed: Promise<{ code: number; reason: string }> }> {
  const ws = new WebSocket(server.wsUrl);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (closeCode, reason) => resolve({ code: closeCode, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, lab: code, device: deviceKey })));
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { t: string };
      if (m.t === 'welcome') resolve();
      else reject(new Error(`no welcome: ${data.toString()}`));
    });
  });
  return { closed };
}

/** The live feed, read the way the page reads it (fetch, the token in a header). */
class Feed {
  private readonly snapshots: TeacherSnapshot[] = [];
  private waiters: (() => void)[] = [];
  private readonly abort = new AbortController();

  static async open(): Promise<Feed> {
    const feed = new Feed();
    const res = await teacherFetch('/api/teacher/events', { signal: feed.abort.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    void feed.read(res.body!);
    return feed;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const parser = new EventStreamParser();
    const decoder = new TextDecoder();
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        for (const event of parser.push(decoder.decode(value, { stream: true }))) {
          if (event.event !== 'snapshot') continue;
          this.snapshots.push(JSON.parse(event.data) as TeacherSnapshot);
          for (const w of this.waiters.splice(0)) w();
        }
      }
    } catch {
      // aborted
    }
  }

  /** Resolves with the first snapshot (from now on, or already received) that passes. */
  async next(test: (s: TeacherSnapshot) => boolean): Promise<TeacherSnapshot> {
    let seen = 0;
    for (;;) {
      for (; seen < this.snapshots.length; seen++) if (test(this.snapshots[seen]!)) return this.snapshots[seen]!;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  close(): void {
    this.abort.abort();
  }
}

test('without the token, or with a wrong one, every teacher route answers 401', async () => {
  const routes: [string, string][] = [
    ['GET', '/api/teacher/snapshot'],
    ['GET', '/api/teacher/events'],
    ['POST', '/api/teacher/reveal'],
    ['DELETE', '/api/teacher/labs/ABCDEF'],
  ];
  for (const [method, path] of routes) {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer not-the-token' }, { authorization: `Basic ${TEST_TEACHER_TOKEN}` }]) {
      const res = await fetch(`${server.baseUrl}${path}`, { method, headers });
      assert.equal(res.status, 401, `${method} ${path} ${JSON.stringify(headers)}`);
      assert.match(((await res.json()) as { error: string }).error, /teacher's token is missing or wrong/);
    }
  }
  // The query token opens the feed (EventSource cannot send headers), and nothing else.
  assert.equal((await fetch(`${server.baseUrl}/api/teacher/events?token=wrong-token`)).status, 401);
  assert.equal((await fetch(`${server.baseUrl}/api/teacher/snapshot?token=${TEST_TEACHER_TOKEN}`)).status, 401);
  const abort = new AbortController();
  const feed = await fetch(`${server.baseUrl}/api/teacher/events?token=${TEST_TEACHER_TOKEN}`, { signal: abort.signal });
  assert.equal(feed.status, 200);
  abort.abort();
});

test('the snapshot: join URL, labs, devices, processes, netstat and who is connected to whom', async () => {
  const codeA = await server.createLab();
  const codeB = await server.createLab();
  const a = await consoleWithAgent(codeA, `snap-a-${codeA}`, CHROME_UA);
  const b = await server.openConsole(codeA, `snap-b-${codeA}`);
  const c = await server.openConsole(codeB, `snap-c-${codeB}`);
  const { serverProcess: pa, clientProcess: pb } = await connectedPair(a, b, 12345);

  const snap = await snapshot();
  assert.deepEqual(snap.joinUrls, [`${server.baseUrl}/`]);
  assert.equal(snap.revealAnswers, false);
  const labA = snap.labs.find((l) => l.code === codeA)!;
  const labB = snap.labs.find((l) => l.code === codeB)!;
  assert.ok(labA && labB);
  assert.deepEqual(
    labA.devices.map((d) => [d.address, d.browser, d.consoles]),
    [
      [a.welcome.device.address, 'Chrome 131 on Linux', 1],
      [b.welcome.device.address, labA.devices[1]!.browser, 1],
    ],
  );
  assert.ok(Math.abs(labA.devices[0]!.lastSeen - snap.now) < 60_000);
  assert.deepEqual(labA.devices[0]!.processes, [
    { pid: a.welcome.pid, console: a.welcome.console, name: 'shell' },
    { pid: pa.pid, console: a.welcome.console, name: 'nc' },
  ]);
  assert.deepEqual(
    labA.netstat.map((r) => [r.device, r.state, r.pid]).sort(),
    [
      [a.welcome.device.address, 'ESTABLISHED', pa.pid],
      [a.welcome.device.address, 'LISTENING', pa.pid],
      [b.welcome.device.address, 'ESTABLISHED', pb.pid],
    ].sort(),
  );
  assert.deepEqual(labA.links, [
    { client: b.welcome.device.address, server: a.welcome.device.address, port: 12345, state: 'ESTABLISHED', outside: null },
  ]);
  assert.deepEqual(labA.listeners.map((l) => [l.device, l.local]), [[a.welcome.device.address, '0.0.0.0:12345']]);
  assert.deepEqual(labB.devices.map((d) => d.address), [c.welcome.device.address]);
  assert.deepEqual([labB.netstat, labB.links], [[], []]);
  await pa.exit();
  await pb.exit();
});

test('the live feed sends the snapshot at once, then each change', async () => {
  const feed = await Feed.open();
  try {
    await feed.next(() => true);
    const code = await server.createLab();
    await feed.next((s) => s.labs.some((l) => l.code === code));
    const session = await server.openConsole(code, `feed-${code}`);
    await feed.next((s) => s.labs.find((l) => l.code === code)?.devices[0]?.consoles === 1);
    session.close();
    await feed.next((s) => s.labs.find((l) => l.code === code)?.devices[0]?.consoles === 0);
  } finally {
    feed.close();
  }
});

test('the reveal switch reaches every console and opens the answers', async () => {
  const answersChunk = readdirSync(resolve(WEB_ROOT, 'assets')).find((f) => f.startsWith('answers-'))!;
  const code = await server.createLab();
  const session = await server.openConsole(code, `reveal-${code}`);
  assert.equal(session.revealAnswers, false);
  assert.equal((await fetch(`${server.baseUrl}/assets/${answersChunk}`)).status, 404);
  await assert.rejects(session.call({ op: 'spawn', name: 'guess_server', argv: [] }), /no such program/);

  const bad = await teacherFetch('/api/teacher/reveal', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"revealAnswers":"yes"}' });
  assert.equal(bad.status, 400);

  const heard = new Promise<boolean>((resolve) => session.onReveal(resolve));
  const on = await teacherFetch('/api/teacher/reveal', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"revealAnswers":true}' });
  assert.deepEqual(await on.json(), { revealAnswers: true });
  assert.equal(await heard, true);
  assert.equal((await snapshot()).revealAnswers, true);
  assert.equal((await fetch(`${server.baseUrl}/assets/${answersChunk}`)).status, 200);
  const { pid } = await session.call({ op: 'spawn', name: 'guess_server', argv: [] });
  assert.ok(pid > 0);
  await session.call({ op: 'exit', pid });

  const heardOff = new Promise<boolean>((resolve) => session.onReveal(resolve));
  await teacherFetch('/api/teacher/reveal', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"revealAnswers":false}' });
  assert.equal(await heardOff, false);
  assert.equal((await fetch(`${server.baseUrl}/assets/${answersChunk}`)).status, 404);
});

test('closing a lab closes its consoles with 4010; its code is then unknown', async () => {
  const code = await server.createLab();
  const other = await server.createLab();
  const first = await rawConsole(code, `close-a-${code}`);
  const second = await rawConsole(code, `close-b-${code}`);
  const bystander = await server.openConsole(other, `close-c-${other}`);
  const res = await teacherFetch(`/api/teacher/labs/${code.toLowerCase()}`, { method: 'DELETE' });
  assert.equal(res.status, 204);
  for (const c of [first, second]) assert.deepEqual(await c.closed, { code: CLOSE_CODES.LAB_CLOSED, reason: 'the teacher closed this lab' });
  assert.equal((await fetch(`${server.baseUrl}/api/labs/${code}`)).status, 404);
  assert.ok(!(await snapshot()).labs.some((l) => l.code === code));
  assert.equal((await teacherFetch(`/api/teacher/labs/${code}`, { method: 'DELETE' })).status, 404);
  await assert.rejects(server.openConsole(code, `close-d-${code}`), /no lab with the code/);
  assert.ok(!bystander.closed, "another lab's consoles stay open");
  assert.ok((await bystander.call({ op: 'ipconfig' })).address);
});

test("a lab's netstat: the code is the key; a device sees only its own lab; wrong codes count as join tries", async () => {
  const codeA = await server.createLab();
  const codeB = await server.createLab();
  const keyA = `netstat-a-${codeA}`;
  await server.openConsole(codeA, keyA);
  const netstat = (code: string, headers: Record<string, string> = {}, query = '') =>
    fetch(`${server.baseUrl}/api/labs/${code}/netstat${query}`, { headers });
  assert.equal((await netstat(codeA, { 'x-device-key': keyA })).status, 200);
  assert.ok(Array.isArray(await (await netstat(codeA, { 'x-device-key': keyA })).json()));
  assert.equal((await netstat(codeA, {}, `?device=${keyA}`)).status, 200);
  assert.equal((await netstat(codeA, AS_TEACHER)).status, 200);
  assert.equal((await netstat(codeB, { 'x-device-key': keyA })).status, 404, "another lab's netstat");
  assert.equal((await netstat(codeB, {}, `?device=${keyA}`)).status, 404);
  // The code alone is the lab's key (whoever has it can join and run netstat in a console).
  assert.equal((await netstat(codeA)).status, 200, 'the code alone');
  assert.equal((await netstat(codeA, { authorization: 'Bearer wrong-token' })).status, 200);
  const notYours = await netstat(codeB, { 'x-device-key': keyA });
  const missing = await netstat('ZZZZZZ');
  assert.deepEqual(
    [notYours.status, ((await notYours.json()) as { error: string }).error.replace(codeB, 'X')],
    [missing.status, ((await missing.json()) as { error: string }).error.replace('ZZZZZZ', 'X')],
    "to a device, another lab looks like no lab",
  );
});

test('wrong codes on the netstat route count against the join limit; the teacher is not limited', async () => {
  const own = await startLabServer({ joinAttemptsPerMinute: 3 });
  try {
    const code = await own.createLab();
    for (const wrong of ['AAAAA1', 'AAAAA2', 'AAAAA3']) assert.equal((await fetch(`${own.baseUrl}/api/labs/${wrong}/netstat`)).status, 404);
    assert.equal((await fetch(`${own.baseUrl}/api/labs/${code}/netstat`)).status, 429);
    assert.equal((await fetch(`${own.baseUrl}/api/labs/${code}/netstat`, { headers: AS_TEACHER })).status, 200);
  } finally {
    await own.close();
  }
});

test("the server stops at once with a teacher's feed open; the feed ends", async () => {
  const own = await startLabServer();
  const res = await fetch(`${own.baseUrl}/api/teacher/events`, { headers: AS_TEACHER });
  assert.equal(res.status, 200);
  const ended = (async () => {
    const reader = res.body!.getReader();
    for (;;) if ((await reader.read()).done) return true;
  })().catch(() => true);
  const started = Date.now();
  await own.close();
  assert.ok(await ended);
  assert.ok(Date.now() - started < 5000, `closing took ${Date.now() - started} ms`);
});
