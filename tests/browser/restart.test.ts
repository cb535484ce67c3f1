// The lab server restarts under open pages: every page says the server went away, reconnects
// by itself when it is back (same lab, same device and address, from the data folder), and
// the programs that ran have ended, as after a reboot. A cut line reconnects the same way;
// a lab the teacher closed says so and does not; a console closed for being idle waits for
// Enter; the server's notices are printed in the console without spoiling the typed line.

import { afterAll } from 'vitest';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildApp, type SocketLab } from '../../server/app.ts';
import { baseConfig } from '../../server/config.ts';
import { CLOSE_CODES } from '../../shared/bridge-protocol.ts';
import { consoleReady, consoleText, outputUntilPrompt, PYTHON_LOAD_MS, typeInto, waitForText } from '../support/browser.ts';
import { browserLabTest, WEB_ROOT } from '../support/browser-test.ts';
import { startLabServer, TEST_TEACHER_TOKEN, waitListening, type TestLabServer } from '../support/lab-server.ts';

// Each test starts the servers it restarts; the file's browser is the fixtures'.
const test = browserLabTest();

const HIDDEN_ANSWERS = "The worksheet's answer programs appear here once your teacher reveals them.";
const WENT_AWAY = '[The lab server went away. Reconnecting as soon as it is back…]';
const RECONNECTED = '[Reconnected: programs that were running have ended.]';
/** A built-in listens at once; on a busy machine give it well under the test's 90 s, so a hang says where. */
const BUILTIN_LISTEN_MS = 20_000;

let dataDir: string;
let browser: Browser;
test.beforeAll(async ({ browser: fileBrowser }) => {
  dataDir = mkdtempSync(join(tmpdir(), 'socket-lab-restart-'));
  browser = fileBrowser;
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A server on this port over the same data folder, as `npm start` run again would be. */
async function restartOn(port: number): Promise<SocketLab> {
  const lab = await buildApp({
    ...baseConfig({}, null),
    host: '127.0.0.1',
    port,
    realPorts: 'any',
    teacherToken: TEST_TEACHER_TOKEN,
    teacherTokenGiven: true,
    logLevel: 'silent',
    revealAnswers: false,
    webRoot: WEB_ROOT,
    dataDir,
  });
  await lab.app.listen({ port, host: '127.0.0.1' });
  return lab;
}

async function openLab(server: TestLabServer, consoles: number): Promise<{ page: Page; code: string; address: string }> {
  const code = await server.createLab();
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.baseUrl}/lab/${code}`);
  await consoleReady(page, 0);
  for (let i = 1; i < consoles; i++) {
    await page.locator('.lab-actions .new-console').click();
    await consoleReady(page, i);
  }
  const address = (await page.evaluate(() => window.socketLab!.address))!;
  return { page, code, address };
}

/** Waits until the page says the server went away, in the banner and in every console. */
async function waitWentAway(page: Page, consoles: number, from: number[]): Promise<void> {
  await page.waitForFunction(() => window.socketLab!.server === 'reconnecting');
  const banner = await page.locator('.banner').textContent();
  assert.match(banner!, /^The lab server went away — reconnecting…/);
  for (let i = 0; i < consoles; i++) await waitForText(page, i, WENT_AWAY, from[i]);
}

/** Waits until every console is back at a prompt of the same device, the banner gone. */
async function waitReconnected(page: Page, consoles: number, address: string, from: number[]): Promise<void> {
  try {
    await page.waitForFunction(
      ([n, a]) => {
        const lab = window.socketLab!;
        return lab.server === 'ok' && lab.address === a && lab.consoles.slice(0, n as number).every((c) => c.state === 'prompt');
      },
      [consoles, address] as const,
      { timeout: 20_000 },
    );
  } catch (err) {
    const seen = await page.evaluate(() => {
      const lab = window.socketLab!;
      return { server: lab.server, address: lab.address, consoles: lab.consoles.map((c) => [c.state, c.text()]) };
    });
    throw new Error(`the page did not reconnect: ${JSON.stringify(seen, null, 1)}`, { cause: err });
  }
  for (let i = 0; i < consoles; i++) await waitForText(page, i, `${RECONNECTED}\n${address}$ `, from[i]);
  assert.equal(await page.locator('.banner').isHidden(), true);
  assert.equal(await page.locator('.lab-address').textContent(), address);
}

async function command(page: Page, i: number, line: string): Promise<string> {
  const from = (await consoleText(page, i)).length;
  await typeInto(page, i, line + '\r');
  return (await outputUntilPrompt(page, i, from, 15_000)).slice(line.length + 1);
}

/** Waits for console 0's basic_server to listen; if it does not, says what the console showed. */
async function serverListening(page: Page, server: TestLabServer, code: string): Promise<void> {
  await waitListening(server, code, 12345, BUILTIN_LISTEN_MS).catch(async (err: Error) => {
    throw new Error(`${err.message}\nconsole 0 showed:\n${await consoleText(page, 0)}`);
  });
}

async function lengths(page: Page, consoles: number): Promise<number[]> {
  return Promise.all(Array.from({ length: consoles }, (_, i) => consoleText(page, i).then((t) => t.length)));
}

test('a restart: the page says so, reconnects by itself to the same device, the programs have ended', { timeout: 90_000 }, async () => {
  const first = await startLabServer({ dataDir, webRoot: WEB_ROOT, revealAnswers: false });
  const { port } = first;
  let second: SocketLab | null = null;
  try {
    const { page, code, address } = await openLab(first, 2);
    assert.match(await command(page, 1, 'run'), new RegExp(HIDDEN_ANSWERS.replace(/[.']/g, '\\$&')));
    // Stored, not broadcast: the pages learn it from the welcome after the restart.
    first.store!.setRevealAnswers(true);
    await typeInto(page, 0, 'run basic_server\r');
    await serverListening(page, first, code);
    await page.waitForFunction(() => window.socketLab!.consoles[0]!.state === 'running');

    const before = await lengths(page, 2);
    await first.close(); // every page hears 1001
    await waitWentAway(page, 2, before);
    assert.match((await consoleText(page, 0)).slice(before[0]), /the program ended/);
    assert.equal(await page.evaluate(() => window.socketLab!.address), null, 'no address while disconnected');

    second = await restartOn(port);
    await waitReconnected(page, 2, address, before);
    assert.equal(await page.locator('.lab-code').textContent(), code);
    assert.match(await command(page, 0, 'ipconfig'), new RegExp(address.replace(/\./g, '\\.')));
    const ps = await command(page, 0, 'ps');
    assert.doesNotMatch(ps, /basic_server/, ps);
    const netstat = await command(page, 1, 'netstat');
    assert.doesNotMatch(netstat, /12345/, netstat);
    assert.doesNotMatch(await command(page, 1, 'run'), /appear here once your teacher reveals them/, 'the reveal switch is on, as stored');
    // The console works as before: a program runs again.
    await typeInto(page, 0, 'run basic_server\r');
    await serverListening(page, { baseUrl: `http://127.0.0.1:${port}` } as TestLabServer, code);
    await page.context().close();
  } finally {
    await first.close().catch(() => undefined);
    await second?.app.close();
  }
});

test('a Python program waiting in accept() ends when the server goes; the console comes back to a prompt', { timeout: 150_000 }, async () => {
  const first = await startLabServer({ dataDir, webRoot: WEB_ROOT, revealAnswers: false });
  const { port } = first;
  let second: SocketLab | null = null;
  try {
    const { page, code, address } = await openLab(first, 1);
    const script = ['import socket', 's = socket.socket()', "s.bind(('127.0.0.1', 12345))", 's.listen()', "print('waiting')", 's.accept()', ''];
    await page.evaluate((text) => window.socketLab!.files!.write('wait_accept.py', text), script.join('\n'));
    const start = (await consoleText(page, 0)).length;
    await typeInto(page, 0, 'python wait_accept.py\r');
    // Python loads first, the long way (a new browser context has no snapshot).
    await waitForText(page, 0, 'waiting\n', start, PYTHON_LOAD_MS);
    await waitListening(first, code, 12345);

    const before = [(await consoleText(page, 0)).length];
    await first.close();
    await waitWentAway(page, 1, before);
    second = await restartOn(port);
    await waitReconnected(page, 1, address, before);
    const netstat = await command(page, 0, 'netstat');
    assert.doesNotMatch(netstat, /12345/, netstat);
    await page.context().close();
  } finally {
    await first.close().catch(() => undefined);
    await second?.app.close();
  }
});

test('a cut line (no close frame, the server gone) reconnects too', { timeout: 90_000 }, async () => {
  const first = await startLabServer({ dataDir, webRoot: WEB_ROOT, revealAnswers: false });
  const { port } = first;
  let second: SocketLab | null = null;
  try {
    const { page, address } = await openLab(first, 2);
    const before = await lengths(page, 2);
    // As a crash: nothing new is accepted, and the open connections drop without a word.
    first.app.server.close();
    for (const client of first.app.websocketServer.clients) client.terminate();
    await waitWentAway(page, 2, before);
    await first.app.close();

    second = await restartOn(port);
    await waitReconnected(page, 2, address, before);
    assert.match(await command(page, 1, 'ipconfig'), new RegExp(address.replace(/\./g, '\\.')));
    await page.context().close();
  } finally {
    await first.app.close().catch(() => undefined);
    await second?.app.close();
  }
});

test('a lab the teacher closed says so and is not reconnected', { timeout: 60_000 }, async () => {
  const server = await startLabServer({ dataDir, webRoot: WEB_ROOT, revealAnswers: false });
  try {
    const { page, code } = await openLab(server, 2);
    const before = await lengths(page, 2);
    server.hub.closeLab(code);
    await page.waitForFunction(() => window.socketLab!.server === 'disconnected');
    assert.equal(
      await page.locator('.banner-text').textContent(),
      'The teacher closed this lab. Start a new lab or join another one from the home page.',
    );
    assert.equal(await page.getByRole('button', { name: 'Go to the home page' }).isVisible(), true);
    for (let i = 0; i < 2; i++) {
      await waitForText(page, i, '[Disconnected: the teacher closed this lab. Start a new lab or join another one from the home page.]', before[i]);
    }
    await typeInto(page, 0, 'ps\r');
    const states = await page.evaluate(() => window.socketLab!.consoles.map((c) => [c.state, c.retrying]));
    assert.deepEqual(states, [['disconnected', false], ['disconnected', false]], 'nothing scheduled: it will not reconnect');
    assert.equal([...server.hub.all()].length, 0);
    await page.context().close();
  } finally {
    await server.close();
  }
});

test('a console closed for being idle reconnects when Enter is pressed', { timeout: 60_000 }, async () => {
  const server = await startLabServer({ dataDir, webRoot: WEB_ROOT, revealAnswers: false });
  try {
    const { page, address } = await openLab(server, 1);
    const before = (await consoleText(page, 0)).length;
    for (const session of [...server.hub.all()]) session.disconnect(CLOSE_CODES.IDLE, 'idle');
    await waitForText(page, 0, '[Disconnected: the console was closed after a long time with nothing sent. Press Enter to reconnect.]', before);
    assert.equal(await page.evaluate(() => window.socketLab!.server), 'disconnected');
    assert.equal(await page.getByRole('button', { name: 'Reconnect' }).isVisible(), true);
    assert.equal(await page.evaluate(() => window.socketLab!.consoles[0]!.retrying), false);
    await typeInto(page, 0, '\r');
    await waitReconnected(page, 1, address, [before]);
    await page.context().close();
  } finally {
    await server.close();
  }
});

test("the server's notices are printed in the console, above the line being typed", { timeout: 60_000 }, async () => {
  const server = await startLabServer({ dataDir, webRoot: WEB_ROOT, revealAnswers: false });
  try {
    const { page, address } = await openLab(server, 1);
    const before = (await consoleText(page, 0)).length;
    await typeInto(page, 0, 'ipcon');
    const msg = 'this console has 64 sockets open, the most the lab allows';
    server.hub.broadcast({ t: 'error', code: 'limit', msg });
    await waitForText(page, 0, `ipcon\nlab server: ${msg}\n${address}$ ipcon`, before);
    await typeInto(page, 0, 'fig\r');
    await waitForText(page, 0, `${address}$ ipconfig\n`, before);
    await outputUntilPrompt(page, 0, before);
    await page.context().close();
  } finally {
    await server.close();
  }
});
