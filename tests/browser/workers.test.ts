// Two tabs of one lab (two browser profiles: two devices) paired through a --workers 2 server
// started as `npm start` runs it (tests/support/cluster-server.ts): `nc -l` in one, `nc` to it in
// the other, lines both ways over real TCP in the lab's worker. The page's
// WebSockets name their lab (/ws?lab=CODE), so the front hands them to that worker.

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { LAB_HOST } from '../support/browser-test.ts';
import { consoleReady, launchChromium, typeCommand, typeInto, waitForText } from '../support/browser.ts';
import { startClusterServer, type ClusterServer } from '../support/cluster-server.ts';

let server: ClusterServer;
let browser: Browser;

beforeAll(async () => {
  server = await startClusterServer({ workers: 2 });
  browser = await launchChromium([`--host-resolver-rules=MAP ${LAB_HOST} 127.0.0.1`]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
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
