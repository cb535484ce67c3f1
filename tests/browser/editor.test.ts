// The editor beside the consoles, in a real page: the worksheet's programs are the device's
// starting files, files made and edited there outlive a reload, and Run (or Ctrl-Enter) types
// `python FILE` into a console. Only the typed command is checked here, not what python does.

import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { waitListening, type TestLabServer } from '../support/lab-server.ts';
import { browserLabTest } from '../support/browser-test.ts';
import { consoleReady, consoleText, PYTHON_LOAD_MS, typeInto, waitForText } from '../support/browser.ts';

const LESSON_FILES = fileURLToPath(new URL('../../web/files/lesson-files', import.meta.url));

const test = browserLabTest();

/** Opens a new lab in the page; returns its code once console 0 is at its prompt. */
async function newLab(server: TestLabServer, page: Page): Promise<string> {
  await page.goto(server.baseUrl + '/');
  await page.getByRole('button', { name: 'Create a lab' }).click();
  await page.waitForURL(/\/lab\/[A-Z0-9]{6}$/);
  await consoleReady(page, 0);
  return page.url().split('/').pop()!;
}

function editorLoaded(page: Page): Promise<boolean> {
  return page.evaluate(() => window.socketLab!.editor!.isOpen());
}

test('the lesson programs are the starting files; the editor loads only when opened', { timeout: 60_000 }, async ({ server, page }) => {
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  await newLab(server, page);
  const lesson = readdirSync(LESSON_FILES).filter((name) => name.endsWith('.py')).sort();
  assert.equal(lesson.length, 11);
  assert.deepEqual(await page.evaluate(() => window.socketLab!.files!.list()), lesson);
  for (const name of lesson) {
    const text = await page.evaluate((n) => window.socketLab!.files!.read(n), name);
    assert.equal(text, readFileSync(join(LESSON_FILES, name), 'utf8'), name);
  }
  // No CodeMirror yet: the first bundle is the page and the consoles.
  assert.equal(await page.locator('.cm-editor').count(), 0);
  assert.ok(!scripts.some((path) => path.includes('python-editor')), `scripts before opening: ${scripts.join(', ')}`);

  await page.locator('header .toggle-editor').click();
  await page.waitForFunction(() => window.socketLab!.editor!.isOpen());
  assert.ok(scripts.some((path) => path.includes('python-editor')), 'the editor came in its own chunk');
  assert.equal(await page.locator('header .toggle-editor').getAttribute('aria-pressed'), 'true');
  await page.locator('.editor-file').selectOption('tictactoe.py');
  assert.equal(await page.evaluate(() => window.socketLab!.editor!.text()), readFileSync(join(LESSON_FILES, 'tictactoe.py'), 'utf8'));
  await page.locator('.cm-content').getByText('class TicTacToe').waitFor();
});

test('a new file made and edited in the editor outlives a reload, as does the open pane', { timeout: 60_000 }, async ({ server, page }) => {
  const code = await newLab(server, page);
  await page.locator('header .toggle-editor').click();
  await page.waitForFunction(() => window.socketLab!.editor!.isOpen());

  await page.locator('.editor-new').click();
  await page.locator('.editor-ask-name').fill('echo_server');
  await page.locator('.editor-ask-ok').click();
  await page.waitForFunction(() => window.socketLab!.editor!.file() === 'echo_server.py');
  assert.equal(await page.evaluate(() => window.socketLab!.files!.read('echo_server.py')), '');
  // Typed into CodeMirror: Enter after the colon indents, Tab goes to the next stop of 4.
  await page.locator('.cm-content').click();
  await page.keyboard.type('import socket\nfor i in range(3):\nprint(i)');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.type('x =');
  await page.keyboard.press('Tab');
  await page.keyboard.type('1');
  const expected = 'import socket\nfor i in range(3):\n    print(i)\nx = 1';
  assert.equal(await page.evaluate(() => window.socketLab!.editor!.text()), expected);
  // Saved on its own after a pause in typing.
  await page.waitForFunction((text) => window.socketLab!.files!.read('echo_server.py') === text, expected);
  await page.locator('.python-editor[data-save="saved"]').waitFor();

  // Ctrl-S saves at once (and the browser's own dialog does not open: the page stays usable).
  await page.keyboard.type('\n# more');
  await page.keyboard.press('Control+s');
  assert.equal(await page.evaluate(() => window.socketLab!.files!.read('echo_server.py')), expected + '\n# more');

  await page.reload();
  await page.waitForURL(new RegExp(`/lab/${code}$`));
  await consoleReady(page, 0);
  await page.waitForFunction(() => window.socketLab!.editor!.isOpen());
  assert.equal(await page.evaluate(() => window.socketLab!.editor!.file()), 'echo_server.py', 'the file open last time');
  assert.equal(await page.evaluate(() => window.socketLab!.editor!.text()), expected + '\n# more');
  assert.equal(await page.evaluate(() => window.socketLab!.files!.list().length), 12);

  // Rename, then delete (asked first); a bad name is refused with the reason.
  await page.locator('.editor-rename').click();
  await page.locator('.editor-ask-name').fill('echo server.py');
  await page.locator('.editor-ask-ok').click();
  await page.locator('.editor-error').getByText('letters, digits').waitFor();
  await page.locator('.editor-ask-name').fill('echo.py');
  await page.locator('.editor-ask-ok').click();
  await page.waitForFunction(() => window.socketLab!.editor!.file() === 'echo.py');
  assert.equal(await page.evaluate(() => window.socketLab!.files!.read('echo_server.py')), null);
  assert.equal(await page.evaluate(() => window.socketLab!.files!.read('echo.py')), expected + '\n# more');
  await page.locator('.editor-delete').click();
  await page.locator('.editor-ask').getByText('Delete echo.py?').waitFor();
  await page.locator('.editor-ask-cancel').click();
  assert.notEqual(await page.evaluate(() => window.socketLab!.files!.read('echo.py')), null, 'cancel keeps it');
  await page.locator('.editor-delete').click();
  await page.locator('.editor-ask-ok').click();
  await page.waitForFunction(() => window.socketLab!.files!.read('echo.py') === null);
  assert.equal(await page.evaluate(() => window.socketLab!.editor!.file()), 'basic_client.py');

  // Closing the pane is remembered too.
  await page.locator('header .toggle-editor').click();
  await page.reload();
  await consoleReady(page, 0);
  assert.equal(await page.locator('.editor-pane').isHidden(), true);
  assert.equal(await editorLoaded(page), false);
});

test('Run types python FILE into the console; ?open=FILE opens it; a busy console gets a new one', { timeout: PYTHON_LOAD_MS + 60_000 }, async ({ server, page }) => {
  const code = await newLab(server, page);
  await page.goto(`${server.baseUrl}/lab/${code}?open=chat_server.py`);
  await consoleReady(page, 0);
  await page.waitForFunction(() => window.socketLab!.editor!.file() === 'chat_server.py');

  // The hooks: setText as typing, run as the button (which saves first).
  await page.evaluate(() => window.socketLab!.editor!.setText('print("changed")\n'));
  let start = (await consoleText(page, 0)).length;
  await page.locator('.editor-run').click();
  await waitForText(page, 0, 'python chat_server.py\n', start);
  assert.equal(await page.evaluate(() => window.socketLab!.files!.read('chat_server.py')), 'print("changed")\n');

  // Ctrl-Enter in the editor runs too; what was half typed at the prompt is cleared first.
  // (The prompt comes back once the program has run, which waits for Python to load.)
  await page.waitForFunction(() => window.socketLab!.consoles[0]!.state === 'prompt', undefined, { timeout: PYTHON_LOAD_MS });
  // (The transcript drops erased typing, so the offset is taken before it.)
  start = (await consoleText(page, 0)).length;
  await typeInto(page, 0, 'nets');
  await page.evaluate(() => window.socketLab!.editor!.open('basic_client.py'));
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+Enter');
  await waitForText(page, 0, 'python basic_client.py\n', start);
  assert.ok(!(await consoleText(page, 0)).includes('netspython'));
  assert.ok((await page.evaluate(() => window.socketLab!.editor!.text()))!.startsWith('import socket'), 'no line inserted');

  // basic_client.py now runs (Python in the browser) and asks for an address: stop it.
  await waitForText(page, 0, 'Enter IPv4 address of server: ', start);
  await typeInto(page, 0, '\x03');
  // A program running in the console: Run opens another console for the file.
  await page.waitForFunction(() => window.socketLab!.consoles[0]!.state === 'prompt');
  await typeInto(page, 0, 'run basic_server\r');
  await waitListening(server, code, 12345);
  await page.evaluate(() => window.socketLab!.editor!.run());
  // (The new console goes straight from connecting to running the file.)
  await page.waitForFunction(() => window.socketLab!.consoles.length === 2);
  await waitForText(page, 1, '$ python basic_client.py\n');
  assert.equal(await page.evaluate(() => window.socketLab!.consoles[0]!.element.dataset.program), 'basic_server', 'left running');
});
