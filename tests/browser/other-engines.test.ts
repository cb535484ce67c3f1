// The lab page in the other engines a school's laptops may have, beside the Chromium of the
// other browser tests: Debian's Firefox ESR (tests/support/firefox.ts) and WebKitGTK
// (tests/support/webkit.ts). What the Chromium tests check first, once more in each: the
// worksheet's Programs 1 and 2 as a built-in and the student's own Python, then both in
// Python, on workers the page starts from the first worker's memory snapshot and compiled
// WebAssembly module (web/python/held-python-start.ts: sending a module to a worker is the
// part most likely to differ between engines). The same console helpers read and type in
// every engine (tests/support/engine-tab.ts).

import { afterAll, beforeAll, describe, test } from 'vitest';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { WEB_ROOT } from '../support/browser-test.ts';
import {
  consoleReady,
  installPythonWorkerWatch,
  PYTHON_LOAD_MS,
  sparePythonReady,
  textUntilPrompt,
  typeCommand,
  typeInto,
  waitForText,
  writeDeviceFile,
  type PythonWorkerState,
} from '../support/browser.ts';
import type { EngineTab } from '../support/engine-tab.ts';
import { openFirefox } from '../support/firefox.ts';
import { openWebKit } from '../support/webkit.ts';
import { startLabServer, waitListening, type TestLabServer } from '../support/lab-server.ts';
import { LESSON_PROGRAMS_DIR } from '../support/python-process.ts';

const PYTHON_TEST_MS = PYTHON_LOAD_MS + 60_000;
const CLIENT_OUTPUT = "Enter IPv4 address of server: 127.0.0.1\nEnter port number of server: 12345\nb'Hello from server\\n'\n";

const THREAD_PROGRAM = "import threading\nseen = []\nt = threading.Thread(target=lambda: seen.append('in a thread'))\nt.start()\nt.join()\nprint(seen)\n";
const NO_JSPI =
  "RuntimeError: can't start new thread: threads need WebAssembly JSPI (stack switching), which this browser lacks; Chrome and Edge 137 or later and Firefox 153 ESR run them";

/** Each engine, and what a thread does in it: Firefox 153 ESR has JSPI, WebKitGTK 2.50 has not. */
const ENGINES = [
  { name: 'Firefox', open: openFirefox, userAgent: /Firefox\//, threads: "['in a thread']\n" },
  { name: 'WebKit', open: openWebKit, userAgent: /AppleWebKit\/[\d.]+ \(KHTML, like Gecko\) Version\//, threads: NO_JSPI },
] as const;

for (const engine of ENGINES) describe(engine.name, () => {
  let server: TestLabServer;
  let tab: EngineTab;
  let page: Page;
  let code: string;
  let prompt: string;

  beforeAll(async () => {
    server = await startLabServer({ webRoot: WEB_ROOT, revealAnswers: false });
    tab = await engine.open();
    page = tab.page;
    code = await server.createLab();
    await tab.goto(`http://${tab.host}:${server.port}/lab/${code}`);
    await consoleReady(page, 0);
    // No Python worker is made before a program needs one: the watch may start now.
    await page.evaluate(installPythonWorkerWatch);
    await page.evaluate(() => document.querySelector<HTMLButtonElement>('header button.new-console')!.click());
    await consoleReady(page, 1);
    prompt = `${await page.evaluate(() => window.socketLab!.address)}$ `;
  }, 120_000);

  afterAll(async () => {
    await tab?.close();
    await server?.close();
  });

  async function writeLessonFile(name: string): Promise<void> {
    const text = readFileSync(resolve(LESSON_PROGRAMS_DIR, name), 'utf8');
    await writeDeviceFile(page, name, text);
  }

  /** Runs the client in console 1 against port 12345 of this device; its screen. */
  async function clientScreen(command: string, loadMs = 15_000): Promise<string> {
    const start = await typeCommand(page, 1, command);
    await waitForText(page, 1, 'Enter IPv4 address of server: ', start, loadMs);
    await typeInto(page, 1, '127.0.0.1\r');
    await waitForText(page, 1, 'Enter port number of server: ', start);
    await typeInto(page, 1, '12345\r');
    return textUntilPrompt(page, 1, start);
  }

  test(`${engine.name}: the lab page, its two consoles at their prompts`, async () => {
    assert.match(await page.evaluate(() => navigator.userAgent), engine.userAgent);
    assert.match(prompt, /^10\.\d+\.\d+\.\d+\$ $/);
  });

  test(`${engine.name}: the built-in Program 1 and Program 2 in the student's Python, the worksheet's output`, { timeout: PYTHON_TEST_MS }, async () => {
    await writeLessonFile('basic_client.py');
    const serverStart = await typeCommand(page, 0, 'run basic_server');
    await waitListening(server, code, 12345);
    assert.equal(await clientScreen('python basic_client.py', PYTHON_LOAD_MS), `python basic_client.py\n${CLIENT_OUTPUT}${prompt}`);
    assert.match(await textUntilPrompt(page, 0, serverStart), /^run basic_server\nConnected to: \('127\.0\.0\.1', \d+\)\n/);
  });

  test(`${engine.name}: Programs 1 and 2 both in Python, on workers started from the first's snapshot and compiled module`, { timeout: PYTHON_TEST_MS }, async () => {
    await writeLessonFile('basic_server.py');
    const serverStart = await typeCommand(page, 0, 'python basic_server.py');
    await waitListening(server, code, 12345);
    // The client runs on the spare the page loads as the server starts.
    await sparePythonReady(page);
    assert.equal(await clientScreen('python basic_client.py'), `python basic_client.py\n${CLIENT_OUTPUT}${prompt}`);
    assert.match(await textUntilPrompt(page, 0, serverStart), /^python basic_server\.py\nConnected to: \('127\.0\.0\.1', \d+\)\n/);
    // The first worker compiled Pyodide and made the snapshot; every later one was given both
    // by the page (had one failed to start from them, the page would have dropped them).
    const workers = (await page.evaluate(() => window.pythonWorkerWatch!.workers)) as PythonWorkerState[];
    assert.equal(workers.filter((w) => w.running).length, 3, 'three Python programs ran');
    assert.deepEqual(
      workers.slice(1).map((w) => [w.givenSnapshot, w.givenModule]),
      workers.slice(1).map(() => [true, true]),
      JSON.stringify(workers),
    );
  });

  test(`${engine.name}: a Python thread ${engine.threads === NO_JSPI ? 'cannot start, and the error says where threads run' : 'runs'}`, { timeout: PYTHON_TEST_MS }, async () => {
    await writeDeviceFile(page, 'thread.py', THREAD_PROGRAM);
    const start = await typeCommand(page, 0, 'python thread.py');
    const shown = await textUntilPrompt(page, 0, start);
    assert.ok(shown.includes(engine.threads), shown);
  });
});
