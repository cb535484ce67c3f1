// Two tabs of one lab (two browser profiles: two devices) paired through a --workers 2 server
// started as `npm start` runs it (tests/support/server-process.ts): `nc -l` in one, `nc` to it in
// the other, lines both ways over real TCP in the lab's worker. The page's
// WebSockets name their lab (/ws?lab=CODE), so the front hands them to that worker.

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { LAB_HOST } from '../support/browser-test.ts';
import { consoleReady, launchChromium, PYTHON_LOAD_MS, textUntilPrompt, typeCommand, typeInto, waitForText } from '../support/browser.ts';
import { alive, startServerProcess, type ServerProcess } from '../support/server-process.ts';

let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  server = await startServerProcess({ workers: 2 });
  browser = await launchChromium([`--host-resolver-rules=MAP ${LAB_HOST} 127.0.0.1`]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  if (!server) return;
  await server.stop();
  for (const pid of [server.pid, ...server.workerPids]) assert.ok(!alive(pid), `process ${pid} is gone`);
});

test('nc -l and nc in two tabs of one lab, through the front and the lab worker', { timeout: 60_000 }, async () => {
  const code = await server.createLab();
  const url = `http://${LAB_HOST}:${server.port}/lab/${code}`;
  const [one, two] = await Promise.all([browser.newContext(), browser.newContext()]);
  try {
    const [a, b] = await Promise.all([one.newPage(), two.newPage()]);
    await a.goto(url);
    await b.goto(url);
    await consoleReady(a, 0);
    await consoleReady(b, 0);
    const addressA = await a.evaluate(() => window.socketLab!.address);
    const addressB = await b.evaluate(() => window.socketLab!.address);
    assert.notEqual(addressA, addressB, 'two devices');
    // Program 1's server listens on the device's own 127.0.0.1; nc -l listens on every address.
    const listening = await typeCommand(a, 0, 'nc -l 5000');
    let netstat: { local: string; state: string }[] = [];
    while (!netstat.some((r) => r.state === 'LISTENING' && r.local.endsWith(':5000'))) {
      netstat = (await (await fetch(`${server.baseUrl}/api/labs/${code}/netstat`)).json()) as typeof netstat;
    }
    const connecting = await typeCommand(b, 0, `nc ${addressA} 5000`);
    await b.waitForFunction(() => window.socketLab!.consoles[0]!.element.dataset.program === 'nc');
    while (!netstat.some((r) => r.state === 'ESTABLISHED')) {
      netstat = (await (await fetch(`${server.baseUrl}/api/labs/${code}/netstat`)).json()) as typeof netstat;
    }
    await typeInto(b, 0, 'hello across tabs\r');
    await waitForText(a, 0, 'hello across tabs\n', listening + 'nc -l 5000\n'.length);
    await typeInto(a, 0, 'and back\r');
    await waitForText(b, 0, 'and back\n', connecting);
  } finally {
    await one.close();
    await two.close();
  }
});

test("a Python program over synchronous XMLHttpRequests (?python-channel=xhr): its many small requests reach the lab's worker, few redirected", { timeout: PYTHON_LOAD_MS + 60_000 }, async () => {
  const code = await server.createLab();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const responses: { path: string; status: number; worker: string }[] = [];
    page.on('response', (r) => responses.push({ path: new URL(r.url()).pathname, status: r.status(), worker: r.headers()['x-socket-lab-worker'] ?? '' }));
    await page.goto(`http://${LAB_HOST}:${server.port}/lab/${code}?python-channel=xhr`);
    await consoleReady(page, 0);
    const prompt = `${await page.evaluate(() => window.socketLab!.address)}$ `;
    await page.evaluate(() =>
      window.socketLab!.files!.write('calls.py', "import socket\ns = socket.socket()\ns.bind(('127.0.0.1', 23457))\nfor _ in range(200):\n    s.getsockname()\nprint('done')\n"),
    );
    const start = await typeCommand(page, 0, 'python calls.py');
    assert.equal(await textUntilPrompt(page, 0, start, PYTHON_LOAD_MS), `python calls.py\ndone\n${prompt}`);
    const sync = responses.filter((r) => /^\/api\/sync\/[^/]+$/.test(r.path));
    const owner = (await server.workerOf(code)).index;
    assert.ok(sync.length >= 200, `${sync.length} channel requests`);
    assert.ok(sync.every((r) => r.status === 307 || r.worker.startsWith(`${owner}/`)), "every answer from the lab's worker");
    const redirected = responses.filter((r) => r.status === 307);
    // What docs/scaling.md reports: a redirect costs one round trip, once per kept-alive connection.
    console.log(`--workers 2, xhr channel: ${sync.length} channel requests, ${redirected.length} redirected of ${responses.length} responses (${redirected.map((r) => r.path).join(', ')})`);
    assert.ok(redirected.length <= 6, 'at most one per connection the browser keeps (6 per host)');
  } finally {
    await context.close();
  }
});
