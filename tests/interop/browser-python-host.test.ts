// The worksheet's game_client.py, unchanged, in the browser's Python against game_server.py
// under CPython on the host: the teacher's `--allow 127.0.0.1:3456` lets the lab's connect
// reach the real program. Both screens are the worksheet's sample game.

import { afterAll } from 'vitest';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitListening } from '../support/lab-server.ts';
import { browserLabTest } from '../support/browser-test.ts';
import { consoleReady, consoleText, outputUntilPrompt, PYTHON_LOAD_MS, typeInto, waitForText, writeDeviceFile } from '../support/browser.ts';
import { LESSON_PROGRAMS_DIR, PythonProcess } from '../support/python-process.ts';
import { sampleClientScreen, sampleServerScreen, SAMPLE_CLIENT_MOVES, SAMPLE_SERVER_MOVES } from '../support/worksheet-sample-game.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GAME_PORT = 3456;

const test = browserLabTest({ server: { realPorts: 'same', allow: [{ host: '127.0.0.1', port: GAME_PORT }] } });
afterAll(() => PythonProcess.killAll());

// Each test's page is a new browser context: its first python loads Python the long way.
test('game_client.py in the browser against python3 game_server.py on the host', { timeout: PYTHON_LOAD_MS + 60_000 }, async ({ server, browser }) => {
  // The host's CPython moves first; its moves wait on its stdin, read one per prompt.
  const host = new PythonProcess('game_server.py', SAMPLE_SERVER_MOVES);
  await host.listening(GAME_PORT);
  const page = await (await browser.newContext()).newPage();
  await page.goto(`http://lab.test:${server.port}/lab/${await server.createLab()}`);
  await consoleReady(page, 0);
  for (const name of ['tictactoe.py', 'game_client.py']) {
    const text = readFileSync(resolve(LESSON_PROGRAMS_DIR, name), 'utf8');
    await writeDeviceFile(page, name, text);
  }
  const start = (await consoleText(page, 0)).length;
  await typeInto(page, 0, 'python game_client.py\r');
  let seen = start;
  for (const move of SAMPLE_CLIENT_MOVES) {
    await waitForText(page, 0, 'Client moves (0 to quit): ', seen, seen === start ? PYTHON_LOAD_MS : undefined);
    seen = (await consoleText(page, 0)).length;
    await typeInto(page, 0, `${move}\r`);
  }
  assert.equal(await host.exited, 0, host.stderr.text);
  assert.equal(await outputUntilPrompt(page, 0, start), `python game_client.py\n${sampleClientScreen(true)}`);
  assert.equal(host.stdout.text, sampleServerScreen(false));
});

test('a guess server written in browser Python serves the built-in guess_client and CPython guess_client.py', { timeout: 2 * PYTHON_LOAD_MS + 60_000 }, async ({ server, browser }) => {
  // Question 10's answer as a student might write it, with the number fixed by the test.
  const source = readFileSync(resolve(REPO_ROOT, 'tests', 'fixtures', 'answers', 'guess_server.py'), 'utf8').replace(
    /random\.randint\(1, 100\)/,
    '43',
  );
  assert.ok(source.includes('number = 43'), 'the test fixed the number');
  const context = await browser.newContext();
  const page = await context.newPage();
  const code = await server.createLab();
  await page.goto(`http://lab.test:${server.port}/lab/${code}`);
  await consoleReady(page, 0);
  await page.evaluate((s) => window.socketLab!.files!.write('guess_server.py', s), source);
  await page.locator('header button.new-console').click();
  await consoleReady(page, 1);

  // Against the built-in guess_client in the other console of the device.
  let serverStart = (await consoleText(page, 0)).length;
  await typeInto(page, 0, 'python guess_server.py\r');
  await page.waitForFunction(() => window.socketLab!.consoles[0]!.element.dataset.program !== undefined);
  await waitListening(server, code, GUESS_PORT);
  const clientStart = (await consoleText(page, 1)).length;
  await typeInto(page, 1, 'run guess_client\r');
  for (const [asked, guess] of ['50', '1', '43'].entries()) {
    // Wait for the prompt to be asked once more than it has been answered.
    await page.waitForFunction(
      ([from, count]) =>
        window.socketLab!.consoles[1]!.text().slice(from as number).split('Enter guess (1-100): ').length - 1 > (count as number),
      [clientStart, asked] as const,
    );
    await typeInto(page, 1, `${guess}\r`);
  }
  await waitForText(page, 1, 'You win!\n', clientStart);
  await waitForText(page, 0, 'Guess 3: 43 (correct)\n', serverStart);
  // The shell's prompt comes after the program's last line: up to it, without it.
  assert.equal(
    await outputUntilPrompt(page, 1, clientStart),
    'run guess_client\n' +
      'Enter guess (1-100): 50\nYour guess is too high.\n' +
      'Enter guess (1-100): 1\nYour guess is too low.\n' +
      'Enter guess (1-100): 43\nYou win!\n',
  );

  // Against CPython's guess_client.py on the host, through the listener's real port (9999).
  await page.waitForFunction(() => window.socketLab!.consoles[0]!.state === 'prompt');
  serverStart = (await consoleText(page, 0)).length;
  await typeInto(page, 0, 'python guess_server.py\r');
  const row = await waitListening(server, code, GUESS_PORT);
  assert.equal(row.realPort, GUESS_PORT);
  const cpython = new PythonProcess('guess_client.py', ['1', '2', '3', '4', '5']);
  assert.equal(await cpython.exited, 0, cpython.stderr.text);
  assert.equal(cpython.stdout.text, 'Enter guess (1-100): Your guess is too low.\n'.repeat(5) + 'You ran out of tries! Game over.\n');
  await waitForText(page, 0, 'Out of tries. The number was 43.\n', serverStart);
  await context.close();
});

const GUESS_PORT = 9999;
