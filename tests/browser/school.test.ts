// One school on loopback, the whole of issue 14 (item 4): PostgreSQL, two instances of
// Socket Lab sharing it (`--database`, `--instance-name lab1|lab2`), HAProxy in front with the
// shipped deploy/haproxy.cfg, all started here. The administrator makes a class; two labs of
// the class live on different instances; devices join them through HAProxy (a real page in
// Chromium and the page's own BridgeSession consoles); the class's teacher's page, through
// HAProxy, sees both labs live, whichever instance serves it; one instance is killed with
// SIGKILL, and its lab's page and consoles come back through HAProxy on the other instance
// with their devices and addresses (same device key, same 10.N.0.x), programs ended as after
// a reboot, while the teacher's page still sees both labs and what happens in them.
// Needs the built page (npm run build), Debian's postgresql and haproxy (.ci/run installs them).

import { afterAll } from 'vitest';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { Browser, Page } from 'playwright-core';
import type { ClassInfo } from '../../shared/class-info.ts';
import type { TeacherSnapshot } from '../../shared/teacher-snapshot.ts';
import { INSTANCE_HEADER } from '../../server/http/instance-header.ts';
import { BridgeSession, type WebSocketLike } from '../../web/common/bridge/bridge-session.ts';
import { withLabParam } from '../../shared/lab-routing.ts';
import { consoleReady, typeInto, waitForText } from '../support/browser.ts';
import { browserLabTest, LAB_HOST } from '../support/browser-test.ts';
import { startPostgres, type TestPostgres } from '../support/postgres.ts';
import { startHaproxy, HAPROXY_SERVERS, type TestHaproxy } from '../support/haproxy.ts';
import { SERVER_PROCESS_TEACHER_TOKEN, startServerProcess, type ServerProcess } from '../support/server-process.ts';

// The file's browser is the fixtures'; the servers are the school's, started here.
const test = browserLabTest();

const CLASS_NAME = 'School Test Networks';
const WENT_AWAY = '[The lab server went away. Reconnecting as soon as it is back…]';
const RECONNECTED = '[Reconnected: programs that were running have ended.]';
/** Labs made until one lands on each instance: a code routes to either about half the time. */
const MAX_LABS_MADE = 24;
/** Each step's own limit, so that a step that hangs is named (a busy machine: generous). */
const STEP_MS = 60_000;
/** The lesson's basic_server listens on this lab port. */
const BASIC_SERVER_PORT = 12345;

let postgres: TestPostgres | undefined;
/** lab1 and lab2, in deploy/haproxy.cfg's order. */
const instances: ServerProcess[] = [];
let haproxy: TestHaproxy | undefined;
let browser: Browser;
const sessions: BridgeSession[] = [];

test.beforeAll(async ({ browser: fileBrowser }) => {
  browser = fileBrowser;
  postgres = await startPostgres();
  const database = await postgres.newDatabase();
  // One after the other: the first runs the database's migrations (under PostgreSQL's
  // advisory lock either way), and two tsx start-ups at once are slow on a busy machine.
  for (const name of HAPROXY_SERVERS) {
    // The same administrator's token on both, as deploy/start-school.sh starts them; HAProxy
    // connects from 127.0.0.1, so its X-Forwarded-For is believed.
    instances.push(await startServerProcess({ workers: 1, args: ['--database', database, '--instance-name', name, '--trust-proxy', '127.0.0.1'] }));
  }
  haproxy = await startHaproxy(instances.map((i) => `127.0.0.1:${i.port}`));
}, 240_000);

afterAll(async () => {
  for (const s of sessions) if (!s.closed) s.close();
  await haproxy?.stop();
  for (const i of instances) await i.stop();
  await postgres?.stop();
});

/** Rejects naming the step (and what the instances printed) when it is not done in time. */
function step<T>(label: string, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const printed = instances.map((i, n) => `--- ${HAPROXY_SERVERS[n]} (pid ${i.pid}${i.exited() ? ', exited' : ''}):\n${i.output().slice(-2000)}`).join('\n');
      reject(new Error(`${label}: not done in ${STEP_MS} ms\n${printed}`));
    }, STEP_MS);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

const school = () => haproxy!.baseUrl;
/** What a browser opens: http://lab.test:PORT (not a secure context, as on a school's network). */
const pageUrl = (path: string) => `http://${LAB_HOST}:${haproxy!.port}${path}`;

/** A request through HAProxy: its JSON and the instance that answered. */
async function viaSchool<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T; instance: string }> {
  const res = await fetch(`${school()}${path}`, init);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, instance: res.headers.get(INSTANCE_HEADER) ?? '(none)' };
}

/** A console of a device through HAProxy, as the page opens it; and the instance that took its upgrade. */
async function consoleViaSchool(code: string, deviceKey: string): Promise<{ session: BridgeSession; instance: string }> {
  const ws = new WebSocket(withLabParam(`ws://127.0.0.1:${haproxy!.port}/ws`, code), { perMessageDeflate: false });
  const upgradedBy = new Promise<string>((resolve) => ws.once('upgrade', (res) => resolve(String(res.headers[INSTANCE_HEADER]))));
  const session = await BridgeSession.open(ws as unknown as WebSocketLike, code, deviceKey);
  sessions.push(session);
  return { session, instance: await upgradedBy };
}

/** Waits until the lab's netstat, through HAProxy, shows (or no longer shows) a listener on the lab port. */
async function listening(code: string, port: number, shown: boolean): Promise<void> {
  for (;;) {
    const { status, body } = await viaSchool<{ local: string; state: string }[]>(`/api/labs/${code}/netstat`, { headers: { authorization: `Bearer ${SERVER_PROCESS_TEACHER_TOKEN}` } });
    const found = status === 200 && body.some((r) => r.state === 'LISTENING' && r.local.endsWith(`:${port}`));
    if (status === 200 && found === shown) return;
    await new Promise((r) => setImmediate(r));
  }
}

/** Waits until the class's snapshot from the instance at `baseUrl` shows each [code, address] with a console open. */
async function snapshotHolds(baseUrl: string, token: string, devices: (readonly [string, string])[]): Promise<void> {
  for (;;) {
    const res = await fetch(`${baseUrl}/api/teacher/snapshot`, { headers: { authorization: `Bearer ${token}` } });
    const snapshot = res.ok ? ((await res.json()) as TeacherSnapshot) : null;
    const shown = ([code, address]: readonly [string, string]) =>
      snapshot?.labs.find((l) => l.code === code)?.devices.some((d) => d.address === address && d.consoles > 0) ?? false;
    if (devices.every(shown)) return;
    await new Promise((r) => setImmediate(r));
  }
}

/** Waits until the teacher's page shows the device (its address) in the lab's card, with a console open. */
async function teacherSees(teacher: Page, code: string, address: string): Promise<void> {
  await teacher.locator(`.lab-card[data-code="${code}"] tr[data-address="${address}"]`).waitFor({ timeout: STEP_MS });
}

test('a school: a class on two instances behind HAProxy, its teacher seeing both labs live, an instance killed and its lab back on the other', { timeout: 600_000 }, async () => {
  const adminAuth = { authorization: `Bearer ${SERVER_PROCESS_TEACHER_TOKEN}`, 'content-type': 'application/json' };

  // The administrator makes a class (through HAProxy: any instance; the class is in PostgreSQL).
  const made = await step('the administrator makes a class', viaSchool<ClassInfo>('/api/teacher/classes', { method: 'POST', headers: adminAuth, body: JSON.stringify({ name: CLASS_NAME }) }));
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const slug = new URL(made.body.joinUrls[0]!).pathname.split('/').pop()!;
  const classToken = new URL(made.body.teacherUrl!).searchParams.get('token')!;
  // Its join page answers on both instances (the one that did not make it reads it from the store).
  for (const i of instances) {
    const res = await fetch(`${i.baseUrl}/api/classes/${slug}`);
    assert.equal(res.status, 200, `${i.baseUrl}: the class's join page`);
    assert.equal(((await res.json()) as { name: string }).name, CLASS_NAME);
  }

  // Labs of the class (POST /api/labs goes round robin), until one's code routes to each instance.
  const labOn = new Map<string, string>();
  for (let tries = 0; labOn.size < 2; tries++) {
    assert.ok(tries < MAX_LABS_MADE, `labs made: ${[...labOn]}`);
    const lab = await viaSchool<{ code: string }>('/api/labs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ class: slug }) });
    assert.equal(lab.status, 201, JSON.stringify(lab.body));
    // The instance its code routes to finds it in the store, whichever instance made it.
    const owner = await viaSchool<{ code: string }>(`/api/labs/${lab.body.code}`);
    assert.equal(owner.status, 200, `${lab.body.code} made on ${lab.instance}, asked of ${owner.instance}: ${JSON.stringify(owner.body)}`);
    if (!labOn.has(owner.instance)) labOn.set(owner.instance, lab.body.code);
  }
  // lab1 is killed below, lab2 stays.
  const [victimName, survivorName] = HAPROXY_SERVERS;
  const victim = instances[0]!;
  const doomed = labOn.get(victimName)!;
  const staying = labOn.get(survivorName)!;

  // The class's teacher's page, through HAProxy.
  const teacherContext = await browser.newContext();
  const teacher = await teacherContext.newPage();
  await teacher.goto(pageUrl(`/teacher?token=${classToken}`));
  await step("the teacher's page shows the class", teacher.locator('.class-title').filter({ hasText: CLASS_NAME }).waitFor({ timeout: STEP_MS }));
  await step('a card for each lab', Promise.all([doomed, staying].map((code) => teacher.locator(`.lab-card[data-code="${code}"]`).waitFor({ timeout: STEP_MS }))));

  // A student's page in the lab whose instance will die, and a second device there; a device in the other lab.
  const studentContext = await browser.newContext();
  const student = await studentContext.newPage();
  await student.goto(pageUrl(`/lab/${doomed}`));
  await step("the student's page is at its prompt", consoleReady(student, 0));
  const studentAddress = (await student.evaluate(() => window.socketLab!.address))!;
  const second = await step('a second device joins the same lab', consoleViaSchool(doomed, `school-second-${doomed}`));
  assert.equal(second.instance, victimName, 'the lab is served by the instance its code routes to');
  const other = await step('a device joins the other lab', consoleViaSchool(staying, `school-other-${staying}`));
  assert.equal(other.instance, survivorName);
  const secondAddress = second.session.welcome.device.address;
  const otherAddress = other.session.welcome.device.address;
  assert.match(studentAddress, /^10\.\d+\.0\.\d+$/);

  // Live, whichever instance serves the teacher's feed: one of the two labs is on the other.
  for (const [code, address] of [[doomed, studentAddress], [doomed, secondAddress], [staying, otherAddress]] as const) {
    await step(`the teacher's page shows ${address} in ${code}`, teacherSees(teacher, code, address));
  }
  // Each instance, asked directly, answers the class's snapshot with both labs and their
  // devices: its own lab's from memory, the other's from the instance that owns it.
  for (const [n, instance] of instances.entries()) {
    await step(
      `${HAPROXY_SERVERS[n]}'s snapshot of the class holds both labs' devices`,
      snapshotHolds(instance.baseUrl, classToken, [[doomed, studentAddress], [doomed, secondAddress], [staying, otherAddress]]),
    );
  }
  // A program running on the student's page, listening: it ends with its instance.
  await typeInto(student, 0, 'run basic_server\r');
  await step('basic_server listens in the lab', listening(doomed, BASIC_SERVER_PORT, true));

  // The instance holding the lab dies.
  const secondClosed = new Promise<void>((resolve) => (second.session.closed ? resolve() : second.session.onClose(() => resolve())));
  const textBefore = (await student.evaluate(() => window.socketLab!.consoles[0]!.text())).length;
  await victim.kill();
  await step('HAProxy marks the instance down', haproxy!.waitServer(victimName, 'DOWN'));
  await step("the second device's console is cut", secondClosed);
  await step("the student's page says the server went away", waitForText(student, 0, WENT_AWAY, textBefore, STEP_MS));

  // The page comes back by itself, on the other instance: the same device, the same address.
  await step(
    "the student's page reconnects with its address",
    student.waitForFunction((a) => window.socketLab!.server === 'ok' && window.socketLab!.address === a && window.socketLab!.consoles[0]!.state === 'prompt', studentAddress, { timeout: STEP_MS }),
  );
  await step('the page says its programs ended', waitForText(student, 0, `${RECONNECTED}\n${studentAddress}$ `, textBefore, STEP_MS));
  // The second device reconnects (as its page would): through HAProxy, on the other instance, the same address.
  const again = await step('the second device joins again', consoleViaSchool(doomed, `school-second-${doomed}`));
  assert.equal(again.instance, survivorName);
  assert.equal(again.session.welcome.device.address, secondAddress, 'the same device, the same address');
  const devices = await viaSchool<{ devices: { address: string }[] }>(`/api/labs/${doomed}`);
  assert.equal(devices.instance, survivorName);
  assert.deepEqual(devices.body.devices.map((d) => d.address).sort(), [studentAddress, secondAddress].sort());
  // No program survived the move: basic_server's listener is gone from the lab's netstat.
  await step('the listener has ended with its instance', listening(doomed, BASIC_SERVER_PORT, false));

  // The teacher's page still sees both labs, live: a new device in each shows up.
  const late = await step('a new device joins the moved lab', consoleViaSchool(doomed, `school-late-${doomed}`));
  const lateOther = await step('a new device joins the other lab', consoleViaSchool(staying, `school-late-${staying}`));
  await step("the teacher's page shows the new device of the moved lab", teacherSees(teacher, doomed, late.session.welcome.device.address));
  await step("the teacher's page shows the new device of the other lab", teacherSees(teacher, staying, lateOther.session.welcome.device.address));
  for (const [code, address] of [[doomed, studentAddress], [doomed, secondAddress], [staying, otherAddress]] as const) {
    await step(`the teacher's page still shows ${address} in ${code}`, teacherSees(teacher, code, address));
  }
  await teacherContext.close();
  await studentContext.close();
});
