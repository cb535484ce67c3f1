// The worksheet's own files, unchanged, in the browser's Python (a new device starts with
// them), against the built-ins and against each other, over plain http.

import assert from 'node:assert/strict';
import { browserLabTest } from '../support/browser-test.ts';
import type { Browser, Page } from 'playwright-core';
import { waitListening, type TestLabServer } from '../support/lab-server.ts';
import { consoleReady, consoleText, outputUntilPrompt, PYTHON_LOAD_MS, typeInto, waitForText } from '../support/browser.ts';

const test = browserLabTest();

/** A test with one Python program: its load (the first the long way: a fresh browser
 * profile), and a minute for the rest. */
const ONE_PYTHON_MS = PYTHON_LOAD_MS + 60_000;
let server: TestLabServer;
let browser: Browser;
let page: Page;
let code: string;

test.beforeAll(async ({ server: fileServer, browser: fileBrowser }) => {
  server = fileServer;
  browser = fileBrowser;
  page = await (await browser.newContext()).newPage();
  code = await server.createLab();
  await page.goto(`http://lab.test:${server.port}/lab/${code}`);
  await consoleReady(page, 0);
  await page.locator('header button.new-console').click();
  await consoleReady(page, 1);
});

/** Types a command line and returns where its output starts. */
async function start(i: number, line: string): Promise<number> {
  await page.waitForFunction((n) => window.socketLab!.consoles[n]!.state === 'prompt', i);
  const from = (await consoleText(page, i)).length;
  await typeInto(page, i, `${line}\r`);
  return from;
}

/** Types the address and port, each at its prompt (typed ahead, a terminal echoes them early).
 * A Python client's first prompt comes after Python loads: firstPromptMs PYTHON_LOAD_MS. */
async function answerAddress(i: number, from: number, port: string, firstPromptMs?: number): Promise<void> {
  await waitForText(page, i, 'Enter IPv4 address of server: ', from, firstPromptMs);
  await typeInto(page, i, '127.0.0.1\r');
  await waitForText(page, i, 'Enter port number of server: ', from);
  await typeInto(page, i, `${port}\r`);
}

/** What the console showed for the command, once it is back at its prompt. */
const finished = (i: number, from: number) => outputUntilPrompt(page, i, from);

test('basic_server_split.py in Python against the built-in basic_client_protocol', { timeout: ONE_PYTHON_MS }, async () => {
  const srv = await start(0, 'python basic_server_split.py');
  await waitListening(server, code, 12345);
  const cli = await start(1, 'run basic_client_protocol');
  await answerAddress(1, cli, '12345');
  assert.equal(
    await finished(1, cli),
    "run basic_client_protocol\nEnter IPv4 address of server: 127.0.0.1\nEnter port number of server: 12345\nb'Hello from server\\n'\n",
  );
  assert.equal(await finished(0, srv), 'python basic_server_split.py\n');
});

test('the built-in split server against basic_client.py in Python: one recv, one piece', { timeout: ONE_PYTHON_MS }, async () => {
  const srv = await start(0, 'run basic_server_split');
  await waitListening(server, code, 12345);
  const cli = await start(1, 'python basic_client.py');
  await answerAddress(1, cli, '12345', PYTHON_LOAD_MS);
  assert.equal(
    await finished(1, cli),
    "python basic_client.py\nEnter IPv4 address of server: 127.0.0.1\nEnter port number of server: 12345\nb'Hello fr'\n",
  );
  await finished(0, srv);
});

test('basic_server_iterative.py in Python serves client after client until Ctrl-C', { timeout: ONE_PYTHON_MS }, async () => {
  const srv = await start(0, 'python basic_server_iterative.py');
  await waitListening(server, code, 12345);
  for (let i = 0; i < 2; i++) {
    const cli = await start(1, 'run basic_client');
    await answerAddress(1, cli, '12345');
    assert.match(await finished(1, cli), /b'Hello from server\\n'\n$/);
  }
  await typeInto(page, 0, '\x03');
  assert.match(await finished(0, srv), /\nKeyboardInterrupt\n$/);
  const rows = (await (await fetch(`${server.baseUrl}/api/labs/${code}/netstat`)).json()) as unknown[];
  assert.deepEqual(rows, [], 'Ctrl-C closed the listening socket');
});

test('chat_server.py and chat_client.py, both in Python, take turns', { timeout: PYTHON_LOAD_MS + ONE_PYTHON_MS }, async () => {
  const srv = await start(0, 'python chat_server.py');
  await waitListening(server, code, 6789);
  const cli = await start(1, 'python chat_client.py');
  await answerAddress(1, cli, '6789', PYTHON_LOAD_MS);
  await waitForText(page, 0, 'INPUT SERVER: ', srv);
  await typeInto(page, 0, 'How are you doing?\r');
  await waitForText(page, 1, 'INPUT CLIENT: ', cli);
  await typeInto(page, 1, 'Great!\r');
  await waitForText(page, 0, 'CLIENT WROTE: Great!\n\nINPUT SERVER: ', srv);
  assert.equal(
    (await consoleText(page, 1)).slice(cli),
    'python chat_client.py\nEnter IPv4 address of server: 127.0.0.1\nEnter port number of server: 6789\n' +
      'WAITING FOR SERVER...\nSERVER WROTE: How are you doing?\n\nINPUT CLIENT: Great!\nWAITING FOR SERVER...\n',
  );
  await typeInto(page, 1, '\x03');
  assert.match(await finished(1, cli), /\nKeyboardInterrupt\n$/);
  await typeInto(page, 0, '\x03');
  assert.match(await finished(0, srv), /\nKeyboardInterrupt\n$/);
});
