// The teacher's page in Chromium: two labs of two devices each (raw bridge sessions and a real
// lab page), a connection made while the page is open, then what the teacher sees (the
// picture of who is connected to whom, the class's netstat), the reveal switch reaching a lab
// page and a console, and closing a lab; labs in use first, and the "Hide ended labs" switch.

import { onTestFinished } from 'vitest';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import type { BridgeSession } from '../../web/common/bridge/bridge-session.ts';
import { connectedPair } from '../support/connected-pair.ts';
import { startLabServer, TEST_TEACHER_TOKEN, type TestLabServer } from '../support/lab-server.ts';
import { browserLabTest, WEB_ROOT } from '../support/browser-test.ts';
import { consoleReady, typeInto, waitForText } from '../support/browser.ts';

const test = browserLabTest();

const REVEAL_LABEL = "Reveal the worksheet's answers to the class";

async function teacherPage(context: BrowserContext, on: TestLabServer, token = TEST_TEACHER_TOKEN): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${on.baseUrl}/teacher?token=${token}`);
  return page;
}

test('the teacher sees every lab, who is connected to whom and every socket; the switch reveals the answers', { timeout: 90_000 }, async ({ server, browser, context }) => {
  // Lab A: two raw devices. Lab B: a real lab page and a raw device.
  const codeA = await server.createLab();
  const codeB = await server.createLab();
  const a1 = await server.openConsole(codeA, `teacher-a1-${codeA}`);
  const a2 = await server.openConsole(codeA, `teacher-a2-${codeA}`);
  const studentContext = await browser.newContext();
  const student = await studentContext.newPage();
  await student.goto(`${server.baseUrl}/lab/${codeB}`);
  await consoleReady(student, 0);
  const b2 = await server.openConsole(codeB, `teacher-b2-${codeB}`);

  const page = await teacherPage(context, server);
  // The token leaves the address bar at once, and the class join URL is shown big, with its QR code.
  await page.locator('.class-url').filter({ hasText: `${server.baseUrl}/` }).waitFor();
  assert.equal(new URL(page.url()).search, '', 'no token left in the address');
  assert.equal(await page.locator('.class-qr svg').getAttribute('aria-label'), `QR code of ${server.baseUrl}/`);
  const cardA = page.locator(`.lab-card[data-code="${codeA}"]`);
  const cardB = page.locator(`.lab-card[data-code="${codeB}"]`);
  await cardA.locator(`tr[data-address="${a2.welcome.device.address}"]`).waitFor();
  await cardB.locator(`tr[data-address="${b2.welcome.device.address}"]`).waitFor();
  // The lab page's device, with its browser named shortly.
  const studentAddress = await student.evaluate(() => window.socketLab!.address!);
  await cardB.locator(`tr[data-address="${studentAddress}"] td`, { hasText: /^Chrome \d+ on Linux$/ }).waitFor();
  await cardA.getByText('no connections').waitFor();

  // A connection made while the teacher watches: device a2 connects to a1's listener.
  const { serverProcess: server1, clientProcess: client2 } = await connectedPair(a1, a2, 12345);

  const link = cardA.locator(
    `.links-picture .link[data-client="${a2.welcome.device.address}"][data-server="${a1.welcome.device.address}"][data-port="12345"][data-state="ESTABLISHED"]`,
  );
  await link.waitFor();
  await cardA.locator(`.links-picture .node.listening[data-address="${a1.welcome.device.address}"]`).waitFor();
  assert.match((await cardA.locator('.links-picture').getAttribute('aria-label'))!, new RegExp(`${a2.welcome.device.address} connected to ${a1.welcome.device.address} port 12345`));
  // Its programs, with their PIDs.
  await cardA.locator(`tr[data-address="${a1.welcome.device.address}"] .proc`, { hasText: `${server1.pid} nc` }).waitFor();

  // The class's netstat: the listener and both ends of the connection, with their PIDs.
  const rowsA = page.locator(`.class-netstat tbody tr[data-lab="${codeA}"]`);
  await page.waitForFunction((code) => document.querySelectorAll(`.class-netstat tbody tr[data-lab="${code}"]`).length === 3, codeA);
  const texts = (await rowsA.allTextContents()).join('\n');
  assert.match(texts, new RegExp(`${a1.welcome.device.address}TCP0\\.0\\.0\\.0:12345 \\(real \\d+\\)0\\.0\\.0\\.0:0LISTENING${server1.pid}`));
  assert.match(texts, new RegExp(`${a2.welcome.device.address}TCP${a2.welcome.device.address}:\\d+${a1.welcome.device.address}:12345ESTABLISHED${client2.pid}`));

  // The filter keeps one lab.
  await page.getByLabel('Filter labs by code').fill(codeB.toLowerCase());
  await cardA.waitFor({ state: 'hidden' });
  assert.ok(await cardB.isVisible());
  assert.equal(await rowsA.first().isVisible(), false);
  await page.getByLabel('Filter labs by code').fill('');
  await cardA.waitFor();

  // The reveal switch: a real switch, off, as the server says; flipping it reaches a console and a lab page.
  const reveal = page.getByRole('switch', { name: REVEAL_LABEL });
  await page.waitForFunction(() => !document.querySelector<HTMLInputElement>('.reveal-answers')!.disabled);
  assert.equal(await reveal.isChecked(), false);
  const heard = new Promise<boolean>((resolve) => b2.onReveal(resolve));
  await reveal.focus();
  await page.keyboard.press('Space');
  assert.equal(await heard, true);
  await page.getByText('The answers are revealed').waitFor();
  assert.equal(await reveal.isChecked(), true);
  await typeInto(student, 0, 'run\r');
  await waitForText(student, 0, 'guess_server');

  // Closing lab A (after a confirm): its consoles close, its card goes.
  const closed = (s: BridgeSession) => new Promise<string>((resolve) => s.onClose(resolve));
  const a1Closed = closed(a1);
  page.once('dialog', (dialog) => {
    assert.match(dialog.message(), new RegExp(`Close lab ${codeA}\\? Its 2 devices .*their Check results are deleted`));
    void dialog.accept();
  });
  await page.getByRole('button', { name: `Close lab ${codeA}` }).click();
  assert.equal(await a1Closed, 'the teacher closed this lab');
  await cardA.waitFor({ state: 'detached' });
  assert.ok(!b2.closed, "lab B's consoles stay open");
  assert.equal((await fetch(`${server.baseUrl}/api/labs/${codeA}`)).status, 404);

  // Hide the answers again for the other tests.
  await reveal.uncheck();
  await page.getByText('The answers are hidden again').waitFor();
  await context.close();
  await studentContext.close();
});

test('the QR code full screen, and Escape closes it', { timeout: 30_000 }, async ({ server, context }) => {
  const page = await teacherPage(context, server);
  await page.getByRole('button', { name: 'Show QR code full screen' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  const box = (await dialog.locator('svg').boundingBox())!;
  assert.ok(box.width >= 300 && Math.abs(box.width - box.height) < 2, `QR code ${box.width}x${box.height}`);
  assert.equal(await dialog.locator('.qr-url').textContent(), `${server.baseUrl}/`);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  // A reload keeps the tab's token.
  await page.reload();
  await page.locator('.class-url').filter({ hasText: `${server.baseUrl}/` }).waitFor();
});

test('a wrong token, or none, says how to get in', { timeout: 30_000 }, async ({ server, context }) => {
  const wrong = await teacherPage(context, server, 'not-the-teacher-token');
  await wrong.getByText('The lab server did not accept this token').waitFor();
  assert.equal(new URL(wrong.url()).search, '');
  const none = await context.newPage();
  await none.goto(`${server.baseUrl}/teacher`);
  await none.getByText("This page needs the teacher's token.").waitFor();
});

test('labs in use first, then the most recently used; ended labs hidden by a remembered switch; the header counts what is live', { timeout: 60_000 }, async ({ context }) => {
  // Its own server, whose clock the test moves on (real time plus an offset) rather than waiting.
  const clock = { offsetMs: 0 };
  const own = await startLabServer({ webRoot: WEB_ROOT, revealAnswers: false, labRetentionMs: 12 * 3_600_000 }, { now: () => Date.now() + clock.offsetMs });
  onTestFinished(() => own.close());
  const ended = await own.createLab();
  (await own.openConsole(ended, `ended-${ended}`)).close();
  while (own.registry.get(ended)!.consolesOpen > 0) await new Promise((resolve) => setImmediate(resolve));
  clock.offsetMs = 20 * 60_000;
  const idle = await own.createLab();
  clock.offsetMs = 23 * 60_000;
  const open = await own.createLab();
  const working = await own.openConsole(open, `open-${open}`);

  onTestFinished(() => context.close());
  const page = await teacherPage(context, own);
  const shownCodes = () => page.locator('.lab-card:not([hidden])').evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.code));
  const hide = page.getByRole('switch', { name: 'Hide ended labs' });
  await page.locator(`.lab-card[data-code="${open}"]`).waitFor();
  assert.equal(await hide.isChecked(), true, 'on at first');
  assert.deepEqual(await shownCodes(), [open, idle]);
  assert.equal(await page.locator('.class-summary').textContent(), '1 lab in use · 1 device online · 1 console open · 0 connections');
  assert.equal(await page.locator('.ended-count').textContent(), '(1 ended)');
  assert.equal(await page.locator(`.lab-card[data-code="${open}"] .lab-state`).textContent(), 'in use');
  assert.match((await page.locator(`.lab-card[data-code="${idle}"] .lab-state`).textContent())!, /^no console · last used 3 min ago · kept until (\w{3} )?\d\d:\d\d$/);

  // Off: the ended lab shows, last, marked as ended; the choice outlives a reload.
  await hide.uncheck();
  await page.locator(`.lab-card[data-code="${ended}"][data-state="ended"]`).waitFor();
  assert.deepEqual(await shownCodes(), [open, idle, ended]);
  assert.match((await page.locator(`.lab-card[data-code="${ended}"] .lab-state`).textContent())!, /^ended · last used 23 min ago · kept until /);
  await page.reload();
  await page.locator(`.lab-card[data-code="${ended}"]`).waitFor();
  assert.equal(await hide.isChecked(), false, 'remembered');
  assert.deepEqual(await shownCodes(), [open, idle, ended]);

  // On again: a code typed in the filter still finds the ended lab.
  await hide.check();
  await page.locator(`.lab-card[data-code="${ended}"]`).waitFor({ state: 'hidden' });
  await page.getByLabel('Filter labs by code').fill(ended);
  await page.locator(`.lab-card[data-code="${ended}"]`).waitFor();
  assert.deepEqual(await shownCodes(), [ended]);
  await page.getByLabel('Filter labs by code').fill('');
  await page.locator(`.lab-card[data-code="${ended}"]`).waitFor({ state: 'hidden' });

  // The last console closes: nothing is live any more.
  working.close();
  await page.locator('.class-summary', { hasText: '0 labs in use · 0 devices online · 0 consoles open · 0 connections' }).waitFor();
});
