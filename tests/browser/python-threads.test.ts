// Python threads in the browser (labthread.py, thread-host.ts): on JSPI, Ctrl-C while threads
// run raises KeyboardInterrupt in the main thread (waiting in join while one thread waits in
// accept, one in recv and one spins), every thread's sockets are the program's in netstat and
// ps, and they all close when it ends; on the synchronous-request channel (forced by
// ?python-channel=xhr, as on a browser without JSPI) starting a thread says why it cannot.
// The threads' semantics against CPython: tests/fixtures/python-conformance/threads_*.py.

import { afterAll, beforeAll, describe, test } from 'vitest';
import assert from 'node:assert/strict';
import { startBrowserLab, stopBrowserLab } from '../support/browser-test.ts';
import type { Browser, Page } from 'playwright-core';
import { waitListening, type TestLabServer } from '../support/lab-server.ts';
import { consoleReady, PYTHON_LOAD_MS, textUntilPrompt, typeCommand, typeInto, waitForText, writeDeviceFile } from '../support/browser.ts';

const LAB_HOST = 'lab.test';
const FIRST_RUN_MS = 60_000;
/** A later program's first output: it runs on the spare worker, which a busy machine may
 * still be loading (a 15 s wait failed at load 30). */
const PROGRAM_START_MS = PYTHON_LOAD_MS;

const THREADS_CTRL_C = `import socket
import threading

listener = socket.socket()
listener.bind(('127.0.0.1', 12360))
listener.listen()


def echo(conn):
    while data := conn.recv(1024):
        conn.sendall(data)


def serve():
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=echo, args=(conn,), daemon=True).start()


def spin():
    while True:
        pass


acceptor = threading.Thread(target=serve, daemon=True)
acceptor.start()
threading.Thread(target=spin, daemon=True).start()
client = socket.create_connection(('127.0.0.1', 12360))
client.sendall(b'ping')
print(client.recv(1024), threading.active_count())
acceptor.join()
`;

async function lab(query: string): Promise<{ server: TestLabServer; browser: Browser; page: Page; code: string; prompt: string }> {
  const { server, browser } = await startBrowserLab();
  const page = await (await browser.newContext()).newPage();
  const code = await server.createLab();
  await page.goto(`http://${LAB_HOST}:${server.port}/lab/${code}${query}`);
  await consoleReady(page, 0);
  const prompt = `${await page.evaluate(() => window.socketLab!.address)}$ `;
  // Python's first load in a fresh profile, before the tests' own timings.
  await page.evaluate(() => window.socketLab!.files!.write('hello.py', "print('hello')\n"));
  const start = await typeCommand(page, 0, 'python hello.py');
  assert.equal(await textUntilPrompt(page, 0, start, FIRST_RUN_MS), `python hello.py\nhello\n${prompt}`);
  return { server, browser, page, code, prompt };
}

describe('JSPI: threads', () => {
  let server: TestLabServer;
  let browser: Browser;
  let page: Page;
  let code: string;
  let prompt: string;

  beforeAll(async () => {
    ({ server, browser, page, code, prompt } = await lab(''));
    await page.locator('header button.new-console').click();
    await consoleReady(page, 1);
  });

  afterAll(async () => {
    await stopBrowserLab({ server, browser });
  });

  async function labSockets(): Promise<{ local: string; foreign: string; state: string; pid: number }[]> {
    return (await (await fetch(`${server.baseUrl}/api/labs/${code}/netstat`)).json()) as { local: string; foreign: string; state: string; pid: number }[];
  }

  test("Ctrl-C while threads wait in accept and recv and one spins: KeyboardInterrupt in the main thread's join; every thread's sockets are the program's, and close with it", { timeout: PROGRAM_START_MS + 60_000 }, async ({ annotate }) => {
    await writeDeviceFile(page, 'threads_ctrl_c.py', THREADS_CTRL_C);
    const start = await typeCommand(page, 0, 'python threads_ctrl_c.py');
    await waitForText(page, 0, "b'ping' 4", start, PROGRAM_START_MS);
    await waitListening(server, code, 12360);

    // The listener (the acceptor thread's), the client (main's) and the accepted connection
    // (the echo thread's): one program, one PID, as netstat -no and ps show it.
    const rows = await labSockets();
    assert.equal(rows.length, 3, JSON.stringify(rows));
    const pids = new Set(rows.map((row) => row.pid));
    assert.equal(pids.size, 1, JSON.stringify(rows));
    const [pid] = [...pids];
    const psStart = await typeCommand(page, 1, 'ps');
    assert.match(await textUntilPrompt(page, 1, psStart, 15_000), new RegExp(`\\b${pid}\\b.*python`));
    const netstatStart = await typeCommand(page, 1, 'netstat -no');
    const netstat = await textUntilPrompt(page, 1, netstatStart, 15_000);
    assert.equal(netstat.split('\n').filter((line) => line.includes(':12360') && line.trimEnd().endsWith(` ${pid}`)).length, 3, netstat);

    const pressedAt = Date.now();
    await typeInto(page, 0, '\x03');
    const shown = await textUntilPrompt(page, 0, start, 15_000);
    await annotate(`Ctrl-C with threads: back at the prompt ${Date.now() - pressedAt} ms after Ctrl-C`);
    assert.match(
      shown,
      /\^C\nTraceback \(most recent call last\):\n {2}File "\/home\/lab\/threads_ctrl_c\.py", line 31, in <module>\n {4}acceptor\.join\(\)\n/,
    );
    assert.ok(shown.endsWith(`\nKeyboardInterrupt\n${prompt}`), shown);
    assert.deepEqual(await labSockets(), []);
  });

  test('a program ends when its non-daemon threads have; Ctrl-C in a busy main thread while another thread waits', { timeout: 2 * PROGRAM_START_MS + 30_000 }, async () => {
    const program = [
      'import threading, time',
      'def late():',
      '    time.sleep(0.3)',
      "    print('late thread done')",
      'threading.Thread(target=late).start()',
      "print('main done')",
    ].join('\n');
    await writeDeviceFile(page, 'late.py', program);
    let start = await typeCommand(page, 0, 'python late.py');
    assert.equal(await textUntilPrompt(page, 0, start, PROGRAM_START_MS), `python late.py\nmain done\nlate thread done\n${prompt}`);

    const busy = [
      'import threading',
      'threading.Thread(target=threading.Event().wait, daemon=True).start()',
      "print('spinning')",
      'while True:',
      '    pass',
    ].join('\n');
    await writeDeviceFile(page, 'busy_main.py', busy);
    start = await typeCommand(page, 0, 'python busy_main.py');
    await waitForText(page, 0, 'spinning', start, PROGRAM_START_MS);
    await typeInto(page, 0, '\x03');
    const shown = await textUntilPrompt(page, 0, start, 15_000);
    assert.match(shown, /\^C\nTraceback \(most recent call last\):\n {2}File "\/home\/lab\/busy_main\.py", line [45], in <module>\n/);
    assert.ok(shown.endsWith(`\nKeyboardInterrupt\n${prompt}`), shown);
  });

  test('a thread that reads sys.stdin holds up no other thread', { timeout: PROGRAM_START_MS + 30_000 }, async () => {
    const program = [
      'import sys, threading, time',
      'typed = []',
      'reader = threading.Thread(target=lambda: typed.append(sys.stdin.readline()))',
      'reader.start()',
      'for i in range(3):',
      '    time.sleep(0.05)',
      "    print('tick', i)",
      "print('typed so far:', typed)",
      'reader.join()',
      "print('typed:', typed)",
    ].join('\n');
    await writeDeviceFile(page, 'stdin_thread.py', program);
    const start = await typeCommand(page, 0, 'python stdin_thread.py');
    await waitForText(page, 0, 'typed so far: []', start, PROGRAM_START_MS);
    await typeInto(page, 0, 'hello\r');
    assert.equal(
      await textUntilPrompt(page, 0, start, 15_000),
      `python stdin_thread.py\ntick 0\ntick 1\ntick 2\ntyped so far: []\nhello\ntyped: ['hello\\n']\n${prompt}`,
    );
  });
});

describe('synchronous XMLHttpRequests (forced): no threads', () => {
  let server: TestLabServer;
  let browser: Browser;
  let page: Page;
  let prompt: string;

  beforeAll(async () => {
    ({ server, browser, page, prompt } = await lab('?python-channel=xhr'));
  });

  afterAll(async () => {
    await stopBrowserLab({ server, browser });
  });

  test('starting a thread is a RuntimeError that says why and where threads run', { timeout: FIRST_RUN_MS }, async () => {
    const program = "import threading\nthreading.Thread(target=print, args=('never',)).start()\n";
    await writeDeviceFile(page, 'one_thread.py', program);
    const start = await typeCommand(page, 0, 'python one_thread.py');
    const shown = await textUntilPrompt(page, 0, start, FIRST_RUN_MS);
    assert.match(shown, /^python one_thread\.py\nTraceback \(most recent call last\):\n {2}File "\/home\/lab\/one_thread\.py", line 2, in <module>\n/);
    assert.ok(
      shown.endsWith(
        "\nRuntimeError: can't start new thread: threads need JSPI's channel, and this page forces synchronous requests (?python-channel=xhr in its address)\n" +
          prompt,
      ),
      shown,
    );
  });
});
