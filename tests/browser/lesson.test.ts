// The lesson pane in a real page: sections in the worksheet's order, a Program button that
// runs it in a console, Questions 1-5 and 7 graded inline (every choice), "try it" for
// Questions 4 and 5 in the console's Python, the encoding explorer both ways, a question
// answered by keyboard alone, the theme switch, and "Serving many clients at once": its three
// servers run from the pane and greet a second client while the first stays connected. The page is opened under http://lab.test
// (not a secure context, as a teacher's laptop serves it), where Python runs as it does there.

import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { waitListening, type TestLabServer } from '../support/lab-server.ts';
import { consoleReady, consoleText, outputUntilPrompt, PYTHON_LOAD_MS, typeCommand, typeInto, waitForText } from '../support/browser.ts';
import { browserLabTest } from '../support/browser-test.ts';
import { QUESTIONS } from '../../web/common/lesson/questions.ts';
import { SECTIONS } from '../../web/common/lesson/sections.ts';

const test = browserLabTest();

/** A host name the browser maps to 127.0.0.1 (see python.test.ts). */
const LAB_HOST = 'lab.test';

let server: TestLabServer;
let browser: Browser;

test.beforeAll(async ({ server: fileServer, browser: fileBrowser }) => {
  server = fileServer;
  browser = fileBrowser;
});

/** A new lab in a fresh browser profile of the given width, console 0 at its prompt. */
async function openLab(width = 1400, hash = ''): Promise<{ context: BrowserContext; page: Page; code: string }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const code = await server.createLab();
  await page.goto(`http://${LAB_HOST}:${server.port}/lab/${code}${hash}`);
  await consoleReady(page, 0);
  return { context, page, code };
}

function section(page: Page) {
  return page.locator('.lesson-section:not([hidden])');
}

test("the pane is open on a wide screen's first visit and follows the worksheet's sections in order", { timeout: 60_000 }, async () => {
  const { context, page, code } = await openLab();
  const toggle = page.getByRole('button', { name: 'Lesson' });
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  const pane = page.getByRole('complementary', { name: 'Lesson' });
  await pane.waitFor();
  // The select lists every section, in order; Next walks through them.
  const options = await page.locator('.lesson-select option').allTextContents();
  assert.deepEqual(options, SECTIONS.map((s, i) => `${i + 1}. ${s.title}`));
  const titles: string[] = [];
  for (let i = 0; i < SECTIONS.length; i++) {
    titles.push((await section(page).locator('h2').textContent())!);
    assert.match((await section(page).locator('.lesson-pages').textContent())!, /^Worksheet pages? \d/);
    // At the end Next is aria-disabled (not disabled, which would drop the focus) and does nothing.
    await page.getByRole('button', { name: 'Next section' }).click({ force: i === SECTIONS.length - 1 });
  }
  assert.deepEqual(titles, options);
  assert.equal(await page.getByRole('button', { name: 'Next section' }).getAttribute('aria-disabled'), 'true');
  assert.equal(await page.evaluate(() => window.socketLab!.lesson!.section()), 'game', 'Next at the end stays');
  await page.waitForURL(/#lesson=game$/);
  await page.getByRole('button', { name: 'Previous section' }).click();
  await page.waitForURL(/#lesson=chat$/);
  // Question 6's exercise: the Check panel (exercise-panel.ts) is mounted in its slot.
  await page.locator('.lesson-select').selectOption('socket-module');
  await section(page).locator('.lesson-exercise[data-exercise="6"] .exercise-mount[data-mounted="panel"] .exercise-panel').waitFor();
  await page.locator('.lesson-select').selectOption('protocol');
  assert.equal((await section(page).locator('h2').textContent()), '6. Designing a protocol');

  // Remembered: closed stays closed after a reload; a #lesson= link opens it at that section.
  await toggle.click();
  assert.equal(await pane.isHidden(), true);
  await page.goto(`http://${LAB_HOST}:${server.port}/lab/${code}`);
  await consoleReady(page, 0);
  assert.equal(await page.locator('.lesson-pane').isHidden(), true);
  await page.goto(`http://${LAB_HOST}:${server.port}/lab/${code}#lesson=str-bytes`);
  await consoleReady(page, 0);
  await section(page).locator('h2', { hasText: 'str and bytes' }).waitFor();
  await context.close();
});

test('a narrow screen starts with the pane closed; a Program button runs the built-in in a console', { timeout: 60_000 }, async () => {
  const { context, page } = await openLab(800);
  assert.equal(await page.locator('.lesson-pane').isHidden(), true);
  await page.getByRole('button', { name: 'Lesson' }).click();
  await page.locator('.lesson-select').selectOption('socket-module');
  const start = (await consoleText(page, 0)).length;
  await page.getByRole('button', { name: 'Run Program 1 in a console (run basic_server)' }).click();
  await waitForText(page, 0, 'run basic_server\n', start);
  await page.waitForFunction(() => window.socketLab!.consoles[0]!.element.dataset.program === 'basic_server');
  // Console 0 is busy now: Program 2 opens a second console, which asks for the address.
  await page.getByRole('button', { name: 'Run Program 2 in a console (run basic_client)' }).click();
  await page.waitForFunction(() => window.socketLab!.consoles.length === 2);
  await waitForText(page, 1, 'Enter IPv4 address of server: ');
  await context.close();
});

test('Questions 1-5 and 7: the right answer is accepted, every wrong one refused with its reason', { timeout: 60_000 }, async () => {
  const { context, page } = await openLab();
  for (const question of QUESTIONS) {
    const form = page.locator(`.lesson-question[data-question="${question.number}"]`);
    await page.evaluate((n) => {
      const id = document.querySelector(`.lesson-question[data-question="${n}"]`)!.closest<HTMLElement>('.lesson-section')!.dataset.section!;
      window.socketLab!.lesson!.open(id);
    }, question.number);
    await form.waitFor();
    const group = form.getByRole('radiogroup');
    const feedback = form.getByRole('status');
    // Checking with nothing picked asks for a pick.
    await form.getByRole('button', { name: 'Check answer' }).click();
    await feedback.getByText('Pick one of A to D first').waitFor();
    for (const choice of question.choices) {
      await group.locator(`input[value="${choice.letter}"]`).check();
      await form.getByRole('button', { name: 'Check answer' }).click();
      const right = choice.letter === question.answer;
      await page.waitForFunction(
        ([n, want]) => document.querySelector<HTMLElement>(`.lesson-question[data-question="${n}"]`)!.dataset.result === want,
        [question.number, right ? 'right' : 'wrong'] as const,
      );
      const said = (await feedback.textContent())!;
      assert.ok(said.includes(choice.reason), `Question ${question.number} ${choice.letter}: ${said}`);
      if (!right) assert.match(said, /not this one/);
    }
  }
  await context.close();
});

test('a question by keyboard alone: Tab into the choices, arrows to move, Space, Tab to Check and Enter', { timeout: 60_000 }, async () => {
  const { context, page } = await openLab(1400, '#lesson=addresses');
  const form = page.locator('.lesson-question[data-question="2"]');
  await form.waitFor();
  // From the section's select, Tab goes through the section's buttons to the question.
  await page.locator('.lesson-select').focus();
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name === 'lesson-q2')) break;
  }
  assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement).value), 'A', 'Tab lands on the first choice');
  await page.keyboard.press('ArrowDown'); // B, picked as it moves
  await page.keyboard.press('ArrowDown'); // C
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement!.textContent), 'Check answer');
  await page.keyboard.press('Enter');
  await form.locator('[data-result="wrong"][data-letter="C"]').waitFor();
  assert.ok((await form.getByRole('status').textContent())!.startsWith('C: not this one.'));
  // Back into the group (Shift+Tab lands on the picked choice), one down to D, Space, Check.
  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement).value), 'C');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await form.locator('[data-result="right"][data-letter="D"]').waitFor();
  // The focused choice shows it: a visible outline.
  await page.keyboard.press('Shift+Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  assert.equal(outline, 'solid');
  await context.close();
});

test('the encoding explorer shows 中 as U+4E2D and its bytes, and converts back', { timeout: 60_000 }, async () => {
  const { context, page } = await openLab(1400, '#lesson=str-bytes');
  const explorer = page.getByRole('region', { name: 'Encoding explorer' });
  await explorer.waitFor();
  assert.equal(await explorer.getByLabel('Text (a str)').inputValue(), '中');
  assert.equal(await explorer.locator('.explorer-label').allTextContents().then((t) => t.join(' ')), 'U+4E2D');
  assert.equal(await explorer.locator('.explorer-encoded').textContent(), "b'\\xe4\\xb8\\xad'");
  assert.equal(await explorer.locator('.explorer-byte-length').textContent(), '3');
  // Typed text: its code points and bytes; the bytes side follows.
  await explorer.getByLabel('Text (a str)').fill('hé');
  await explorer.locator('.explorer-encoded', { hasText: "b'h\\xc3\\xa9'" }).waitFor();
  assert.deepEqual(await explorer.locator('.explorer-label').allTextContents(), ['U+0068', 'U+00E9']);
  assert.equal(await explorer.getByLabel('Bytes literal').inputValue(), "b'h\\xc3\\xa9'");
  // A bytes literal back into text; bad input says what Python would.
  await explorer.getByLabel('Bytes literal').fill("b'\\xe4\\xb8\\xad!'");
  await explorer.getByText('.decode() gives "中!" (4 bytes)').waitFor();
  assert.equal(await explorer.getByLabel('Text (a str)').inputValue(), '中!');
  await explorer.getByLabel('Bytes literal').fill("b'\\xe4\\xb8'");
  await explorer.getByText("UnicodeDecodeError: 'utf-8' codec can't decode bytes in position 0-1: unexpected end of data").waitFor();
  await explorer.getByLabel('Bytes literal').fill("b'中'");
  await explorer.getByText('SyntaxError: bytes can only contain ASCII literal characters').waitFor();
  assert.equal(await explorer.getByLabel('Text (a str)').inputValue(), '中!', 'the text stays as it was');
  await context.close();
});

test('the theme switch changes the page colours and tells the page (socketlab:theme)', { timeout: 60_000 }, async () => {
  const { context, page, code } = await openLab();
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const paneBackground = () => page.evaluate(() => getComputedStyle(document.querySelector('.lesson-pane')!).backgroundColor);
  await page.evaluate(() => {
    (window as unknown as { themeEvents: string[] }).themeEvents = [];
    window.addEventListener('socketlab:theme', (event) => (window as unknown as { themeEvents: string[] }).themeEvents.push((event as CustomEvent<{ theme: string }>).detail.theme));
  });
  const theme = page.getByRole('combobox', { name: 'Colour theme' });
  await theme.selectOption('light');
  const light = [await background(), await paneBackground()];
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  await theme.selectOption('dark');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  const dark = [await background(), await paneBackground()];
  assert.notEqual(dark[0], light[0]);
  assert.notEqual(dark[1], light[1]);
  assert.deepEqual(await page.evaluate(() => (window as unknown as { themeEvents: string[] }).themeEvents).then((e) => e.at(-1)), 'dark');
  // Remembered, and set before the page's code runs.
  await page.goto(`http://${LAB_HOST}:${server.port}/lab/${code}`);
  await consoleReady(page, 0);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.equal(await theme.inputValue(), 'dark');
  assert.equal(await background(), dark[0]);
  await context.close();
});

test("try it: Questions 4 and 5 in the console's Python show 1 and 3", { timeout: 2 * PYTHON_LOAD_MS + 60_000 }, async () => {
  const { context, page } = await openLab(1400, '#lesson=str-bytes');
  const start = (await consoleText(page, 0)).length;
  await page.locator('.lesson-question[data-question="4"]').getByRole('button', { name: /^Try Question 4 in Python/ }).click();
  await waitForText(page, 0, ">>> len('\\u4e2d')\n1\n>>> ", start, PYTHON_LOAD_MS);
  // Python is running there now: Question 5 opens its Python in a new console.
  await page.locator('.lesson-question[data-question="5"]').getByRole('button', { name: /^Try Question 5 in Python/ }).click();
  await page.waitForFunction(() => window.socketLab!.consoles.length === 2);
  await waitForText(page, 1, ">>> len('\\u4e2d'.encode())\n3\n>>> '\\u4e2d'.encode()\nb'\\xe4\\xb8\\xad'\n>>> ", 0, PYTHON_LOAD_MS);
  await context.close();
});


/** The index of the console running a program named `name` (data-program), once there is one. */
async function consoleRunning(page: Page, name: string): Promise<number> {
  try {
    const handle = await page.waitForFunction(
      (n) => {
        const at = window.socketLab!.consoles.findIndex((c) => c.element.dataset.program === n);
        return at < 0 ? null : { at }; // an object: index 0 is falsy, and waitForFunction waits for truthy
      },
      name,
      { timeout: PYTHON_LOAD_MS },
    );
    return ((await handle.jsonValue()) as { at: number }).at;
  } catch (err) {
    const shown = await page.evaluate(() => window.socketLab!.consoles.map((c) => `[${c.state} ${c.element.dataset.program}] ${c.text().slice(-300)}`));
    throw new Error(`no console runs ${name}:\n${shown.join('\n')}`, { cause: err });
  }
}

function countIn(shown: string, text: string): number {
  return shown.split(text).length - 1;
}

/** Runs one of the section's servers from the pane in console 0, and shows it serving: nc
 * (console 1) stays connected and silent while Program 4 (console 2) is greeted, then nc's
 * line comes back; the server printed both clients coming and going. */
async function serveTwo(page: Page, code: string, file: string): Promise<void> {
  // A device starts with the worksheet's files only: the pane writes this one when it runs it.
  assert.equal(await page.evaluate((f) => window.socketLab!.files!.has(f), file), false, `${file} is not a starting file`);
  await page.evaluate(() => window.socketLab!.consoles[0]!.focus());
  const from = (await consoleText(page, 0)).length;
  await section(page).getByRole('button', { name: `Run ${file} in a console (python ${file})` }).click();
  assert.equal(await consoleRunning(page, 'python'), 0);
  assert.ok(await page.evaluate((f) => window.socketLab!.files!.has(f), file), `${file} is now among the device's files`);
  await waitListening(server, code, 12345);

  const a = await typeCommand(page, 1, 'nc 127.0.0.1 12345');
  await waitForText(page, 1, 'Hello from server\n', a);
  // A is connected and silent; B is greeted all the same.
  const b = await typeCommand(page, 2, 'run basic_client_protocol');
  await waitForText(page, 2, 'Enter IPv4 address of server: ', b);
  await typeInto(page, 2, '127.0.0.1\r');
  await waitForText(page, 2, 'Enter port number of server: ', b);
  await typeInto(page, 2, '12345\r');
  assert.match(await outputUntilPrompt(page, 2, b), /b'Hello from server\\n'\n$/, `${file}: the second client is greeted`);
  // As the section says: netstat shows the server's connection to A (B has gone).
  const n = await typeCommand(page, 2, 'netstat -n');
  assert.match(await outputUntilPrompt(page, 2, n), /127\.0\.0\.1:12345 +127\.0\.0\.1:\d+ +ESTABLISHED/, `${file}: netstat`);
  // A is still served: its line comes back (the terminal shows it typed, then echoed).
  await typeInto(page, 1, 'still here\r');
  await page.waitForFunction(([i, f]) => window.socketLab!.consoles[i as number]!.text().slice(f as number).split('still here').length - 1 === 2, [1, a] as const);
  await typeInto(page, 1, '\x03');
  await consoleReady(page, 1);
  // The server told of both clients, and of each leaving.
  await page.waitForFunction((f) => window.socketLab!.consoles[0]!.text().slice(f).split('closed (').length - 1 === 2, from);
  assert.equal(countIn((await consoleText(page, 0)).slice(from), 'connected ('), 2, `${file}: both connections printed`);
  await typeInto(page, 0, '\x03');
  // The interrupt reaches Python in its worker, which a loaded machine (load 13, beside other
  // runs) took over 30 s to answer: as long as a Python load may take.
  await consoleReady(page, 0, PYTHON_LOAD_MS);
}

/** Consoles 1 and 2 beside console 0, for the clients. */
async function threeConsoles(page: Page): Promise<void> {
  for (const i of [1, 2]) {
    await page.locator('header button.new-console').click();
    await consoleReady(page, i);
  }
}

test('Serving many clients at once: right after section 7, and each of its servers runs from the pane and serves a second client while the first stays', { timeout: PYTHON_LOAD_MS + 180_000 }, async () => {
  const { context, page, code } = await openLab(1400, '#lesson=many-clients');
  const many = section(page);
  await many.locator('h2', { hasText: '8. Serving many clients at once' }).waitFor();
  assert.deepEqual((await page.locator('.lesson-select option').allTextContents()).slice(6, 9), [
    '7. Iterative and concurrent servers',
    '8. Serving many clients at once',
    '9. The chat',
  ]);
  assert.match((await many.textContent())!, /JSPI/);
  // Question 11, ours: its heading says so, and its Check panel is mounted.
  const exercise = many.locator('.lesson-exercise[data-exercise="11"]');
  assert.match((await exercise.getByRole('heading').textContent())!, /^Question 11: exercise \(ours, not in the worksheet/);
  await exercise.locator('.exercise-mount[data-mounted="panel"] .exercise-panel[data-question="11"]').waitFor();

  await threeConsoles(page);
  for (const file of ['many_server_selectors.py', 'many_server_asyncio.py', 'many_server_threads.py']) await serveTwo(page, code, file);
  // Open in editor: the file as the lab ships it (written to the device as it opens).
  await page.evaluate(() => window.socketLab!.files!.remove('many_server_asyncio.py'));
  await many.getByRole('button', { name: 'Open many_server_asyncio.py in the editor' }).click();
  await page.waitForFunction(() => window.socketLab!.editor!.file() === 'many_server_asyncio.py');
  assert.match((await page.evaluate(() => window.socketLab!.editor!.text()))!, /asyncio\.start_server/);
  await context.close();
});

test('Serving many clients at once without JSPI (?python-channel=xhr): selectors and asyncio serve both; the threads version stops at its first client, saying why', { timeout: PYTHON_LOAD_MS + 180_000 }, async () => {
  const { context, page, code } = await openLab(1400, '?python-channel=xhr#lesson=many-clients');
  await threeConsoles(page);
  for (const file of ['many_server_selectors.py', 'many_server_asyncio.py']) await serveTwo(page, code, file);
  const from = (await consoleText(page, 0)).length;
  await section(page).getByRole('button', { name: 'Run many_server_threads.py in a console (python many_server_threads.py)' }).click();
  await waitListening(server, code, 12345);
  const a = await typeCommand(page, 1, 'nc 127.0.0.1 12345');
  const shown = await outputUntilPrompt(page, 0, from);
  assert.match(shown, /RuntimeError: can't start new thread: threads need JSPI/);
  // The program ended, and with it the client's connection.
  await outputUntilPrompt(page, 1, a);
  await context.close();
});
