// The Check of Questions 6, 8, 9, 10 and our 11 in a real lab page (the lesson pane's exercise panels),
// served from a non-secure origin as a teacher's laptop serves it: the student's files (the
// fixtures in tests/fixtures/checks/) run in browser Python against our reference peers over
// the lab's real TCP. Correct answers pass every scenario; typical wrong ones fail the right
// scenario with a message that says why. One page and one Python warm-up for all of them.

import { afterAll } from 'vitest';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type TestLabServer, TEST_TEACHER_TOKEN } from '../support/lab-server.ts';
import { consoleReady } from '../support/browser.ts';
import { browserLabTest } from '../support/browser-test.ts';

const test = browserLabTest();

const FIXTURES = fileURLToPath(new URL('../fixtures/checks/', import.meta.url));
const ANSWERS = fileURLToPath(new URL('../fixtures/answers/', import.meta.url));
/** The page's copies of the worksheet's programs (a unit test keeps them equal to the worksheet's). */
const LESSON_FILES = fileURLToPath(new URL('../../web/files/lesson-files/', import.meta.url));
/** A host name the browser maps to 127.0.0.1: http on it is not a secure context. */
const LAB_HOST = 'lab.test';
/** A whole Check, Python's first load included, with time to spare on a slow machine. */
const CHECK_MS = 180_000;
const SECTION: Record<number, string> = { 6: 'socket-module', 8: 'chat', 9: 'game', 10: 'game', 11: 'many-clients' };
/** Question 11's correct answers, one with threads, one with selectors (each checked as chat_many_server.py). */
const CHAT_MANY = join(ANSWERS, 'chat-many');

let server: TestLabServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let code: string;

interface Outcome {
  scenario: string;
  passed: boolean;
  message: string;
}

test.beforeAll(async ({ server: fileServer, browser: fileBrowser }) => {
  server = fileServer;
  browser = fileBrowser;
  context = await browser.newContext();
  page = await context.newPage();
  code = await server.createLab();
  await page.goto(`http://${LAB_HOST}:${server.port}/lab/${code}`);
  await consoleReady(page, 0);
});

afterAll(async () => {
  await context?.close();
});

/** Puts files among the device's files, as the editor saves them. */
async function useFiles(files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await page.evaluate(([n, t]) => window.socketLab!.files!.write(n!, t!), [name, text]);
  }
}

/** A wrong answer's files (tests/fixtures/checks/SET). */
async function useFixtures(set: string): Promise<void> {
  const dir = join(FIXTURES, set);
  await useFiles(Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')])));
}

/** The correct answers: the ones the interop tests run under CPython (tests/fixtures/answers). */
async function useCorrectAnswers(): Promise<void> {
  await useFiles(Object.fromEntries(readdirSync(ANSWERS).filter((n) => n.endsWith('.py')).map((name) => [name, readFileSync(join(ANSWERS, name), 'utf8')])));
}

/** Question 9 left undone: the worksheet's Programs 9 and 10 under the exercise's names. */
async function useUnchangedGame(): Promise<void> {
  const lesson = (name: string) => readFileSync(join(LESSON_FILES, name), 'utf8');
  await useFiles({ 'game_server_alternative.py': lesson('game_server.py'), 'game_client_alternative.py': lesson('game_client.py') });
}

/** Presses Check on question N's panel and reads its results once it is done. */
async function check(question: number): Promise<Outcome[]> {
  await page.evaluate((id) => window.socketLab!.lesson!.open(id), SECTION[question]!);
  const panel = page.locator(`.exercise-panel[data-question="${question}"]`);
  await panel.waitFor({ state: 'attached', timeout: 30_000 });
  await panel.evaluate((el) => el.removeAttribute('data-state'));
  await panel.locator('button.exercise-check').click();
  await page.waitForFunction((q) => document.querySelector(`.exercise-panel[data-question="${q}"]`)?.getAttribute('data-state') === 'done', question, {
    timeout: CHECK_MS,
  });
  return panel.locator('li.check-result').evaluateAll((items) =>
    items.map((li) => ({
      scenario: (li as HTMLElement).dataset.scenario!,
      passed: (li as HTMLElement).dataset.passed === 'true',
      message: li.querySelector('.check-message')?.textContent ?? '',
    })),
  );
}

function failedOnly(outcomes: Outcome[]): Record<string, string> {
  return Object.fromEntries(outcomes.filter((o) => !o.passed).map((o) => [o.scenario, o.message]));
}

function assertAllPass(outcomes: Outcome[], count: number): void {
  assert.equal(outcomes.length, count);
  assert.deepEqual(failedOnly(outcomes), {});
}

test('Question 6: a correct server and client pass', { timeout: CHECK_MS }, async () => {
  await useCorrectAnswers();
  assertAllPass(await check(6), 2);
});

test('Question 10: a correct guess_server.py passes every scenario', { timeout: CHECK_MS }, async () => {
  await useCorrectAnswers();
  assertAllPass(await check(10), 6);
});

test('Question 10: one recv taken as one line fails the split guess only', { timeout: CHECK_MS }, async () => {
  await useFixtures('q10-one-recv');
  const failed = failedOnly(await check(10));
  assert.deepEqual(Object.keys(failed), ['a guess sent in two pieces']);
  assert.match(failed['a guess sent in two pieces']!, /2 pieces: one recv is not one line, read until b'\\n'.*expected b'WIN\\n', received b'LOW\\n'/s);
});

test('Question 10: six tries fails GAMEOVER after five misses', { timeout: CHECK_MS }, async () => {
  await useFixtures('q10-six-tries');
  const failed = failedOnly(await check(10));
  assert.deepEqual(Object.keys(failed), ['GAMEOVER after five misses']);
  assert.match(failed['GAMEOVER after five misses']!, /fifth wrong guess.*GAMEOVER.*expected b'GAMEOVER\\n', received b'GUESS\\n'/s);
});

test('Question 10: no GAMEOVER fails GAMEOVER after five misses', { timeout: CHECK_MS }, async () => {
  await useFixtures('q10-no-gameover');
  const failed = failedOnly(await check(10));
  assert.deepEqual(Object.keys(failed), ['GAMEOVER after five misses']);
  assert.match(failed['GAMEOVER after five misses']!, /fifth wrong guess.*end of stream.*expected b'GAMEOVER\\n', received b''/s);
});

test('Question 8: a correct pair passes; one that leaves its listening socket open fails on the server side', { timeout: 2 * CHECK_MS }, async () => {
  await useCorrectAnswers();
  assertAllPass(await check(8), 4);
  await useFixtures('q8-listener-open');
  const failed = failedOnly(await check(8));
  assert.deepEqual(Object.keys(failed).sort(), ['server: the client sends quit', 'server: the server types quit']);
  for (const message of Object.values(failed)) assert.match(message, /sockets still open \(127\.0\.0\.1:6789 LISTENING\)/);
});

test('Question 9: a correct pair passes; a server that still moves first fails', { timeout: 2 * CHECK_MS }, async () => {
  await useCorrectAnswers();
  assertAllPass(await check(9), 10);
  await useUnchangedGame();
  const outcomes = await check(9);
  const failed = failedOnly(outcomes);
  assert.match(failed['server: the client wins']!, /client moves first.*asked for its own move first/);
  assert.match(failed['client: the client wins']!, /no answer within \d+ s: expected b'MOVE1\\n': the client moves first/);
});

test('Question 11: the unchanged chat_server.py talks with one client but fails the second, saying the server is still busy with the first', { timeout: CHECK_MS }, async () => {
  await useFiles({ 'chat_many_server.py': readFileSync(join(LESSON_FILES, 'chat_server.py'), 'utf8') });
  const outcomes = await check(11);
  assert.equal(outcomes.length, 3);
  const failed = failedOnly(outcomes);
  assert.deepEqual(Object.keys(failed), ['a second client while the first is silent', 'three clients, the last one writes first']);
  for (const message of Object.values(failed)) {
    assert.match(message, /^no answer within 5 s: expected b'hello B\\n': client B connected while client A is silent: .*still waiting for the first one's line/);
  }
});

test('Question 11: an iterative chat server (one client after another) fails the same way', { timeout: CHECK_MS }, async () => {
  await useFixtures('q11-iterative');
  const failed = failedOnly(await check(11));
  assert.deepEqual(Object.keys(failed), ['a second client while the first is silent', 'three clients, the last one writes first']);
  assert.match(failed['a second client while the first is silent']!, /expected b'hello B\\n'/);
});

test('Question 11: a selectors answer and a threads answer (JSPI: Chromium has it) pass every scenario', { timeout: 2 * CHECK_MS }, async () => {
  for (const answer of ['chat_many_server_selectors.py', 'chat_many_server_threads.py']) {
    await useFiles({ 'chat_many_server.py': readFileSync(join(CHAT_MANY, answer), 'utf8') });
    const outcomes = await check(11);
    assert.equal(outcomes.length, 3, answer);
    assert.deepEqual(failedOnly(outcomes), {}, answer);
  }
});

test('results reach the teacher: per device and question, and as CSV', async () => {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/teacher/checks.csv`, { headers: { authorization: `Bearer ${TEST_TEACHER_TOKEN}` } });
  assert.equal(res.status, 200);
  const csv = await res.text();
  assert.match(csv, new RegExp(`^${code},10\\.\\d+\\.0\\.2,9,failed,`, 'm'));
  assert.match(csv, new RegExp(`^${code},10\\.\\d+\\.0\\.2,6,passed,2,2,`, 'm'));
  assert.match(csv, new RegExp(`^${code},10\\.\\d+\\.0\\.2,11,passed,3,3,`, 'm'));
});
