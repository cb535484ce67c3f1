// Classes in Chromium: the administrator makes a class on the teacher's page, its teacher
// opens the class's teacher link, a student uses the class's join URL and makes a lab, the
// class's teacher sees it live while the administrator's default view does not mix it in
// (the administrator opens the class's view to see it), and the class's reveal switch does
// not reach a console of the default class.

import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { TEST_TEACHER_TOKEN } from '../support/lab-server.ts';
import { browserLabTest } from '../support/browser-test.ts';
import { consoleReady, outputUntilPrompt, typeCommand } from '../support/browser.ts';

const test = browserLabTest();

const REVEAL_LABEL = "Reveal the worksheet's answers to the class";

/** What `run` alone lists in console 0. */
async function programList(page: Page): Promise<string> {
  return outputUntilPrompt(page, 0, await typeCommand(page, 0, 'run'));
}

test("a class made by the administrator: its teacher link, join URL, its labs alone, its own reveal switch", { timeout: 120_000 }, async ({ server, browser, context }) => {
  // The administrator's page: the default class's view, with the Classes panel.
  const admin = await context.newPage();
  await admin.goto(`${server.baseUrl}/teacher?token=${TEST_TEACHER_TOKEN}`);
  await admin.locator('.class-url').filter({ hasText: `${server.baseUrl}/` }).waitFor();
  const panel = admin.getByRole('region', { name: 'Classes' });
  await panel.getByRole('row', { name: /Default class/ }).waitFor();
  // A class needs a name: the page says so before asking the server.
  await panel.getByRole('button', { name: 'Create class' }).click();
  await panel.getByText('Give the class a name').waitFor();
  await panel.getByLabel("New class's name").fill('Room 12 Networks');
  await panel.getByRole('button', { name: 'Create class' }).click();
  await panel.getByText(`Class Room 12 Networks is made: its students open ${server.baseUrl}/class/room-12-networks`).waitFor();
  // The same name again is refused with the server's reason.
  await panel.getByLabel("New class's name").fill('room 12  NETWORKS');
  await panel.getByRole('button', { name: 'Create class' }).click();
  await panel.getByText('There is already a class named').waitFor();

  const row = panel.getByRole('row', { name: /Room 12 Networks/ });
  await row.getByText("Show the teacher's link").click();
  const teacherLink = await row.getByLabel("Teacher's link of Room 12 Networks").inputValue();
  assert.match(teacherLink, new RegExp(`^${server.baseUrl}/teacher\\?token=[A-Za-z0-9_-]{32}$`));

  // The class's teacher, in a browser of their own: that class's page, no Classes panel.
  const teacherContext = await browser.newContext();
  const teacher = await teacherContext.newPage();
  await teacher.goto(teacherLink);
  await teacher.locator('.class-title').filter({ hasText: 'Room 12 Networks' }).waitFor();
  await teacher.locator('.class-url').filter({ hasText: `${server.baseUrl}/class/room-12-networks` }).waitFor();
  assert.equal(new URL(teacher.url()).search, '', 'the token left the address bar');
  await teacher.getByText('No lab yet').waitFor();
  assert.equal(await teacher.locator('.classes-section').isHidden(), true);
  const joinUrl = (await teacher.locator('.class-url').textContent())!;

  // A student opens the class's join URL and makes a lab there.
  const studentContext = await browser.newContext();
  const student = await studentContext.newPage();
  await student.goto(joinUrl);
  await student.getByText('Class: Room 12 Networks').waitFor();
  await student.getByRole('button', { name: 'Create a lab' }).click();
  await student.waitForURL(/\/lab\/[A-Z0-9]{6}$/);
  await consoleReady(student, 0);
  const code = new URL(student.url()).pathname.split('/').pop()!;
  assert.equal(server.registry.get(code)!.classId, server.classes.bySlug('room-12-networks')!.id);

  // The class's teacher sees it live; the administrator's default view does not mix it in.
  await teacher.locator(`.lab-card[data-code="${code}"]`).waitFor();
  const defaultCode = await server.createLab();
  const other = await studentContext.newPage();
  await other.goto(`${server.baseUrl}/lab/${defaultCode}`);
  await consoleReady(other, 0);
  await admin.locator(`.lab-card[data-code="${defaultCode}"]`).waitFor();
  assert.equal(await admin.locator(`.lab-card[data-code="${code}"]`).count(), 0);
  assert.equal(await teacher.locator(`.lab-card[data-code="${defaultCode}"]`).count(), 0);

  // The class's reveal switch reaches its student's console, not the default class's.
  assert.doesNotMatch(await programList(student), /guess_server/);
  const reveal = teacher.getByRole('switch', { name: REVEAL_LABEL });
  await teacher.waitForFunction(() => !document.querySelector<HTMLInputElement>('.reveal-answers')!.disabled);
  await reveal.check();
  await teacher.getByText('The answers are revealed').waitFor();
  await student.waitForFunction(() => window.socketLab?.consoles[0]?.state === 'prompt');
  let listed = '';
  for (let tries = 0; tries < 50 && !listed.includes('guess_server'); tries++) listed = await programList(student);
  assert.match(listed, /guess_server/);
  assert.doesNotMatch(await programList(other), /guess_server/);
  assert.equal(await admin.getByRole('switch', { name: REVEAL_LABEL }).isChecked(), false);

  // The administrator opens the class's view from the Classes panel: its lab and its switch.
  await row.getByRole('link', { name: /Open its view/ }).click();
  await admin.waitForURL(/\/teacher\?class=\d+$/);
  await admin.locator(`.lab-card[data-code="${code}"]`).waitFor();
  await admin.locator('.class-title').filter({ hasText: 'Room 12 Networks' }).waitFor();
  await admin.waitForFunction(() => document.querySelector<HTMLInputElement>('.reveal-answers')!.checked);
  assert.equal(await admin.locator(`.lab-card[data-code="${defaultCode}"]`).count(), 0);

  await reveal.uncheck();
  await teacher.getByText('The answers are hidden again').waitFor();
  await teacherContext.close();
  await studentContext.close();
});

test('a join URL naming no class says so, and joining a lab by its code still works there', { timeout: 30_000 }, async ({ server, page }) => {
  await page.goto(`${server.baseUrl}/class/no-such-class`);
  await page.getByText('There is no class at this address').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Create a lab' }).isDisabled(), true);
  const code = await server.createLab();
  await page.getByLabel('Lab code').fill(code);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.waitForURL(new RegExp(`/lab/${code}$`));
  await consoleReady(page, 0);
});

test("the administrator's view of a class that is not there says so and stops, rather than reconnecting for ever", { timeout: 30_000 }, async ({ server, page }) => {
  await page.goto(`${server.baseUrl}/teacher?token=${TEST_TEACHER_TOKEN}&class=999`);
  const status = page.locator('.feed-status[data-state="refused"]');
  await status.waitFor();
  assert.equal(await status.textContent(), 'Not live: there is no class 999');
});
