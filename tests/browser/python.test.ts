// Students' own Python in the browser (Pyodide in a worker, socket calls over the synchronous
// channel), in real consoles of one lab page served from a NON-secure origin, as a teacher's
// laptop serves it over plain http: the worksheet's Program 1 and 2 in Python against the
// built-ins and against each other, CPython's errors, and Ctrl-C in accept() and in a busy
// loop (KeyboardInterrupt, sockets closed). Everything runs twice: on JSPI (Python waits on
// promises over the channel's WebSocket, the default in this Chromium) and on the fallback
// of browsers without it, synchronous XMLHttpRequests (forced by ?python-channel=xhr).

import { afterAll, beforeAll, describe, test } from 'vitest';
import assert from 'node:assert/strict';
import { startBrowserLab, stopBrowserLab } from '../support/browser-test.ts';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TEST_TEACHER_TOKEN, waitListening, type TestLabServer } from '../support/lab-server.ts';
import { LESSON_PROGRAMS_DIR } from '../support/python-process.ts';
import {
  consoleReady,
  consoleText,
  PYTHON_LOAD_MS,
  pythonRuns,
  sparePythonReady,
  textUntilPrompt,
  typeCommand,
  typeInto,
  waitForText,
  watchPythonWorkers,
  writeDeviceFile,
} from '../support/browser.ts';
import {
  sampleClientScreen,
  sampleServerScreen,
  SAMPLE_CLIENT_MOVES,
  SAMPLE_SERVER_MOVES,
} from '../support/worksheet-sample-game.ts';

/** A host name the browser maps to 127.0.0.1: http on it is not a secure context. */
const LAB_HOST = 'lab.test';
/** A test that starts one Python program: its load (PYTHON_LOAD_MS: the long way in this new
 * browser profile, or the spare worker still loading), and a minute for the rest. */
const PYTHON_TEST_MS = PYTHON_LOAD_MS + 60_000;

/** The two ways a worker waits for its channel, and the page URL's query for each. */
const CHANNELS = [
  { name: 'JSPI, the channel WebSocket', query: '', socket: true },
  { name: 'synchronous XMLHttpRequests (forced)', query: '?python-channel=xhr', socket: false },
] as const;

for (const channel of CHANNELS) describe(channel.name, () => {
  let server: TestLabServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let code: string;
  let prompt: string;
  /** Every URL the page asked for, in order (its workers' requests included). */
  const requests: string[] = [];
  /** Every WebSocket the page or its workers opened, by path. */
  const sockets: string[] = [];

  beforeAll(async () => {
    ({ server, browser } = await startBrowserLab());
    context = await browser.newContext();
    page = await context.newPage();
    page.on('request', (request) => requests.push(new URL(request.url()).pathname));
    page.on('websocket', (socket) => sockets.push(new URL(socket.url()).pathname));
    await watchPythonWorkers(page);
    code = await server.createLab();
    await page.goto(`http://${LAB_HOST}:${server.port}/lab/${code}${channel.query}`);
    await consoleReady(page, 0);
    await page.locator('header button.new-console').click();
    await consoleReady(page, 1);
    prompt = `${await page.evaluate(() => window.socketLab!.address)}$ `;
  });

  afterAll(async () => {
    await context?.close();
    await stopBrowserLab({ server, browser });
  });

  function lessonProgram(name: string): string {
    return readFileSync(resolve(LESSON_PROGRAMS_DIR, name), 'utf8');
  }

  /** Puts a file among the device's files (what the editor saves), for `python NAME`. */
  async function writeFile(name: string, text: string): Promise<void> {
    await writeDeviceFile(page, name, text);
  }

  const command = (i: number, line: string): Promise<number> => typeCommand(page, i, line);

  const waitForPrompt = (i: number, from: number, timeoutMs = 15_000): Promise<string> => textUntilPrompt(page, i, from, timeoutMs);

  async function labSockets(): Promise<{ local: string; state: string; pid: number }[]> {
    return (await (await fetch(`${server.baseUrl}/api/labs/${code}/netstat`)).json()) as { local: string; state: string; pid: number }[];
  }

  test('the page is not a secure context, and no Python is loaded before python runs', async () => {
    assert.equal(await page.evaluate(() => window.isSecureContext), false);
    assert.equal(await page.evaluate(() => typeof SharedArrayBuffer), 'undefined');
    assert.deepEqual(requests.filter((path) => /pyodide|python-(runner|worker)/.test(path)), []);
  });

  test(`blocking calls go over ${channel.socket ? "the program's WebSocket" : 'synchronous requests'}`, { timeout: PYTHON_TEST_MS }, async () => {
    await writeFile('calls.py', "import socket\ns = socket.socket()\ns.bind(('127.0.0.1', 23457))\nfor _ in range(50):\n    s.getsockname()\nprint('done')\n");
    const posts = () => requests.filter((path) => /^\/api\/sync\/[^/]+$/.test(path)).length;
    const socketsBefore = sockets.length;
    const postsBefore = posts();
    const start = await command(0, 'python calls.py');
    assert.equal(await waitForPrompt(0, start, PYTHON_LOAD_MS), `python calls.py\ndone\n${prompt}`);
    const opened = sockets.slice(socketsBefore).filter((path) => /^\/api\/sync\/[^/]+\/ws$/.test(path));
    if (channel.socket) {
      assert.equal(opened.length, 1);
      // Only the busy-loop Ctrl-C poll is synchronous: at most one every 250 ms.
      assert.ok(posts() - postsBefore < 10, `${posts() - postsBefore} synchronous requests`);
    } else {
      assert.equal(opened.length, 0);
      assert.ok(posts() - postsBefore >= 52, `${posts() - postsBefore} synchronous requests`);
    }
  });

  test("Program 1 in Python, the built-in Program 2: the worksheet's output", { timeout: PYTHON_TEST_MS }, async ({ annotate }) => {
    await writeFile('basic_server.py', lessonProgram('basic_server.py'));
    const startedAt = Date.now();
    const serverStart = await command(0, 'python basic_server.py');
    await waitListening(server, code, 12345);
    await annotate(`first python run: listening ${Date.now() - startedAt} ms after the command (Pyodide loaded in a fresh profile)`);
    // It loaded from this server: the runtime's files, then the worker's code.
    assert.ok(requests.some((path) => path === '/pyodide/314.0.7/pyodide.asm.wasm'), requests.join('\n'));
    const clientStart = await command(1, 'run basic_client');
    await waitForText(page, 1, 'Enter IPv4 address of server: ', clientStart);
    await typeInto(page, 1, '127.0.0.1\r');
    await waitForText(page, 1, 'Enter port number of server: ', clientStart);
    await typeInto(page, 1, '12345\r');
    const client = await waitForPrompt(1, clientStart);
    assert.equal(client, `run basic_client\nEnter IPv4 address of server: 127.0.0.1\nEnter port number of server: 12345\nb'Hello from server\\n'\n${prompt}`);
    const shown = await waitForPrompt(0, serverStart);
    const port = /Connected to: \('127\.0\.0\.1', (\d+)\)/.exec(shown)?.[1];
    assert.ok(port, shown);
    // The loading line was erased: nothing but the program's own output is left.
    assert.equal(shown, `python basic_server.py\nConnected to: ('127.0.0.1', ${port})\n${prompt}`);
  });

  test('Program 2 in Python against Program 1 in Python (the client starts on the spare worker)', { timeout: 2 * PYTHON_LOAD_MS + 60_000 }, async ({ annotate }) => {
    await writeFile('basic_client.py', lessonProgram('basic_client.py'));
    const serverStart = await command(0, 'python basic_server.py');
    await waitListening(server, code, 12345);
    // The server took the page's spare worker, and the page loads a new spare as it starts:
    // the client is to start on that one, loaded. (Timed from the command while the spare
    // still loaded, the client's prompt took 14 s in a loaded npm test.)
    await sparePythonReady(page);
    const startedAt = Date.now();
    const clientStart = await command(1, 'python basic_client.py');
    await waitForText(page, 1, 'Enter IPv4 address of server: ', clientStart);
    const promptAfterMs = Date.now() - startedAt;
    await annotate(`python client: first prompt ${promptAfterMs} ms after the command`);
    await typeInto(page, 1, '127.0.0.1\r');
    await waitForText(page, 1, 'Enter port number of server: ', clientStart);
    await typeInto(page, 1, '12345\r');
    assert.equal(
      await waitForPrompt(1, clientStart),
      `python basic_client.py\nEnter IPv4 address of server: 127.0.0.1\nEnter port number of server: 12345\nb'Hello from server\\n'\n${prompt}`,
    );
    assert.match(await waitForPrompt(0, serverStart), /^python basic_server\.py\nConnected to: \('127\.0\.0\.1', \d+\)\n/);
    assert.equal((await pythonRuns(page)).at(-1), true, 'the client was given a worker that had loaded');
    assert.ok(promptAfterMs < 5_000, `the client's first prompt came ${promptAfterMs} ms after python started`);
  });

  test('the sample game: game_server.py in Python (importing tictactoe.py) against the built-in game_client', { timeout: PYTHON_TEST_MS }, async () => {
    await writeFile('tictactoe.py', lessonProgram('tictactoe.py'));
    await writeFile('game_server.py', lessonProgram('game_server.py'));
    const serverStart = await command(0, 'python game_server.py');
    await waitListening(server, code, 3456);
    const clientStart = await command(1, 'run game_client');
    let serverSeen = serverStart;
    let clientSeen = clientStart;
    for (let turn = 0; turn < SAMPLE_SERVER_MOVES.length; turn++) {
      await waitForText(page, 0, 'Server moves (0 to quit): ', serverSeen);
      serverSeen = (await consoleText(page, 0)).length;
      await typeInto(page, 0, `${SAMPLE_SERVER_MOVES[turn]}\r`);
      const clientMove = SAMPLE_CLIENT_MOVES[turn];
      if (clientMove === undefined) break;
      await waitForText(page, 1, 'Client moves (0 to quit): ', clientSeen);
      clientSeen = (await consoleText(page, 1)).length;
      await typeInto(page, 1, `${clientMove}\r`);
    }
    assert.equal(await waitForPrompt(0, serverStart), `python game_server.py\n${sampleServerScreen(true)}${prompt}`);
    assert.equal(await waitForPrompt(1, clientStart), `run game_client\n${sampleClientScreen(true)}${prompt}`);
  });

  test('kill PID from another console ends a Python program: Terminated, its sockets closed', { timeout: PYTHON_TEST_MS }, async () => {
    const start = await command(0, 'python basic_server.py');
    await waitListening(server, code, 12345);
    const pid = await page.evaluate(() => window.socketLab!.consoles[0]!.element.dataset.programPid);
    assert.ok(pid);
    const killStart = await command(1, `kill ${pid}`);
    await waitForPrompt(1, killStart);
    assert.equal(await waitForPrompt(0, start), `python basic_server.py\nTerminated\n${prompt}`);
    assert.deepEqual(await labSockets(), []);
  });

  test("CPython's errors: refused, address in use, reserved port, timeout, b'' at the end, errno values", { timeout: PYTHON_TEST_MS }, async () => {
    await writeFile(
      'errors.py',
      [
        'import errno, socket, traceback',
        'def show(exc):',
        "    print(traceback.format_exception_only(exc)[-1], end='')",
        'try:',
        "    socket.socket().connect(('127.0.0.1', 5000))",
        'except ConnectionRefusedError as exc:',
        '    show(exc)',
        'listener = socket.socket()',
        "listener.bind(('127.0.0.1', 23456))",
        'listener.listen()',
        'try:',
        "    socket.socket().bind(('0.0.0.0', 23456))",
        'except OSError as exc:',
        '    show(exc)',
        'try:',
        "    socket.socket().bind(('0.0.0.0', 80))",
        'except PermissionError as exc:',
        '    show(exc)',
        'listener.settimeout(0.5)',
        'try:',
        '    listener.accept()',
        'except socket.timeout as exc:',
        '    show(exc)',
        "client = socket.create_connection(('localhost', 23456))",
        'conn, addr = listener.accept()',
        "client.sendall(b'bye')",
        'client.close()',
        'print(conn.recv(1024), conn.recv(1024))',
        'print(errno.ECONNREFUSED, errno.EADDRINUSE, errno.EACCES, errno.errorcode[111])',
        "socket.socket().connect(('localhost', 5000))",
        '',
      ].join('\n'),
    );
    const start = await command(0, 'python errors.py');
    assert.equal(
      await waitForPrompt(0, start, PYTHON_LOAD_MS),
      [
        'python errors.py',
        'ConnectionRefusedError: [Errno 111] Connection refused',
        'OSError: [Errno 98] Address already in use',
        'PermissionError: [Errno 13] Permission denied',
        'TimeoutError: timed out',
        "b'bye' b''",
        '111 98 13 ECONNREFUSED',
        'Traceback (most recent call last):',
        '  File "/home/lab/errors.py", line 30, in <module>',
        "    socket.socket().connect(('localhost', 5000))",
        '    ~~~~~~~~~~~~~~~~~~~~~~~^^^^^^^^^^^^^^^^^^^^^',
        'ConnectionRefusedError: [Errno 111] Connection refused',
        prompt,
      ].join('\n'),
    );
    assert.deepEqual(await labSockets(), [], 'the program ended: its sockets are closed');
  });

  // A traceback shows the program stopped by itself; a worker ended after the grace period
  // prints KeyboardInterrupt alone (the last test).
  test('Ctrl-C in accept(): KeyboardInterrupt, and its listener is closed', { timeout: PYTHON_TEST_MS }, async ({ annotate }) => {
    await writeFile(
      'wait_accept.py',
      "import socket\nlistener = socket.socket()\nlistener.bind(('127.0.0.1', 12346))\nlistener.listen()\nprint('waiting')\nconn, addr = listener.accept()\n",
    );
    const start = await command(0, 'python wait_accept.py');
    await waitForText(page, 0, 'waiting', start, PYTHON_LOAD_MS);
    await waitListening(server, code, 12346);
    const pressedAt = Date.now();
    await typeInto(page, 0, '\x03');
    assert.equal(
      await waitForPrompt(0, start),
      [
        'python wait_accept.py',
        'waiting',
        '^C',
        'Traceback (most recent call last):',
        '  File "/home/lab/wait_accept.py", line 6, in <module>',
        '    conn, addr = listener.accept()',
        '                 ~~~~~~~~~~~~~~~^^',
        'KeyboardInterrupt',
        prompt,
      ].join('\n'),
    );
    await annotate(`Ctrl-C in accept: back at the prompt ${Date.now() - pressedAt} ms after Ctrl-C`);
    assert.deepEqual(await labSockets(), []);
  });

  test('Ctrl-C in while True: pass: KeyboardInterrupt at the loop, its socket closed', { timeout: PYTHON_TEST_MS }, async ({ annotate }) => {
    await writeFile(
      'busy.py',
      "import socket\nlistener = socket.socket()\nlistener.bind(('127.0.0.1', 12347))\nlistener.listen()\nprint('spinning')\nwhile True: pass\n",
    );
    const start = await command(0, 'python busy.py');
    await waitForText(page, 0, 'spinning', start, PYTHON_LOAD_MS);
    const pressedAt = Date.now();
    await typeInto(page, 0, '\x03');
    const shown = await waitForPrompt(0, start);
    assert.match(shown, /^python busy\.py\nspinning\n\^C\nTraceback \(most recent call last\):\n {2}File "\/home\/lab\/busy\.py", line 6, in <module>\n {4}while True: pass\n/);
    assert.ok(shown.endsWith(`\nKeyboardInterrupt\n${prompt}`), shown);
    await annotate(`Ctrl-C in a busy loop: back at the prompt ${Date.now() - pressedAt} ms after Ctrl-C`);
    assert.deepEqual(await labSockets(), []);
  });

  test('Ctrl-C in a long C call Python cannot interrupt: the worker is ended, KeyboardInterrupt, sockets closed', { timeout: PYTHON_TEST_MS }, async () => {
    await writeFile(
      'c_loop.py',
      "import socket\nlistener = socket.socket()\nlistener.bind(('127.0.0.1', 12348))\nlistener.listen()\nprint('summing')\nprint(sum(range(10**13)))\n",
    );
    const start = await command(0, 'python c_loop.py');
    await waitForText(page, 0, 'summing', start, PYTHON_LOAD_MS);
    await typeInto(page, 0, '\x03');
    assert.equal(await waitForPrompt(0, start), `python c_loop.py\nsumming\n^C\nKeyboardInterrupt\n${prompt}`);
    assert.deepEqual(await labSockets(), []);
  });

  test('input(), sys.stdin, time.sleep, a recv timeout, Ctrl-C in sleep and at the >>> prompt', { timeout: PYTHON_LOAD_MS + PYTHON_TEST_MS }, async () => {
    await writeFile(
      'waits.py',
      [
        'import socket, sys, time',
        "name = input('name? ')",
        'line = sys.stdin.readline()',
        'print(repr(name), repr(line))',
        'started = time.monotonic()',
        'time.sleep(0.2)',
        "print('slept', time.monotonic() - started >= 0.2)",
        'listener = socket.socket()',
        "listener.bind(('127.0.0.1', 23458))",
        'listener.listen()',
        "client = socket.create_connection(('127.0.0.1', 23458))",
        'client.settimeout(0.1)',
        'try:',
        '    client.recv(10)',
        'except TimeoutError as exc:',
        "    print('recv:', repr(exc))",
        "print('sleeping')",
        'time.sleep(60)',
        '',
      ].join('\n'),
    );
    const start = await command(0, 'python waits.py');
    await waitForText(page, 0, 'name? ', start, PYTHON_LOAD_MS);
    await typeInto(page, 0, 'Ada\r');
    await typeInto(page, 0, 'second line\r');
    await waitForText(page, 0, 'sleeping', start);
    await typeInto(page, 0, '\x03');
    assert.equal(
      await waitForPrompt(0, start),
      [
        'python waits.py',
        'name? Ada',
        'second line',
        "'Ada' 'second line\\n'",
        'slept True',
        "recv: TimeoutError('timed out')",
        'sleeping',
        '^C',
        'Traceback (most recent call last):',
        '  File "/home/lab/waits.py", line 18, in <module>',
        '    time.sleep(60)',
        '    ~~~~~~~~~~^^^^',
        'KeyboardInterrupt',
        prompt,
      ].join('\n'),
    );
    assert.deepEqual(await labSockets(), []);
    const repl = await command(0, 'python');
    await waitForText(page, 0, '>>> ', repl, PYTHON_LOAD_MS);
    await typeInto(page, 0, '\x03');
    await waitForText(page, 0, '>>> ^C\nKeyboardInterrupt\n>>> ', repl);
    await typeInto(page, 0, '1/0\r');
    await waitForText(page, 0, 'ZeroDivisionError: division by zero\n>>> ', repl);
    await typeInto(page, 0, 'exit()\r');
    const shown = await waitForPrompt(0, repl);
    assert.ok(
      shown.includes('>>> 1/0\nTraceback (most recent call last):\n  File "<stdin>", line 1, in <module>\nZeroDivisionError: division by zero\n>>> exit()\n'),
      shown,
    );
  });

  test('a closed tab leaves nothing behind: its program, its sockets, its channel and its WebSocket', { timeout: PYTHON_TEST_MS }, async () => {
    // The page's two consoles; the last program's channel WebSocket may still be closing.
    const socketsBefore = 2;
    const clients = server.app.websocketServer.clients;
    while (clients.size > socketsBefore) await new Promise((r) => setImmediate(r));
    const otherLab = await server.createLab();
    const tab = await context.newPage();
    await tab.goto(`http://${LAB_HOST}:${server.port}/lab/${otherLab}${channel.query}`);
    await consoleReady(tab, 0);
    await writeDeviceFile(tab, 'basic_server.py', lessonProgram('basic_server.py'));
    await typeCommand(tab, 0, 'python basic_server.py');
    await waitListening(server, otherLab, 12345);
    // The console's WebSocket, and on JSPI the program's channel WebSocket.
    assert.equal(clients.size, socketsBefore + (channel.socket ? 2 : 1));
    await tab.close();
    while (clients.size > socketsBefore) await new Promise((r) => setImmediate(r));
    const rows = await (await fetch(`${server.baseUrl}/api/labs/${otherLab}/netstat`, { headers: { authorization: `Bearer ${TEST_TEACHER_TOKEN}` } })).json();
    assert.deepEqual(rows, []);
  });

  test('python with a missing file says so as CPython does; python alone is the >>> prompt', { timeout: PYTHON_TEST_MS }, async () => {
    let start = await command(0, 'python nope.py');
    assert.equal(
      await waitForPrompt(0, start),
      `python nope.py\npython: can't open file '/home/lab/nope.py': [Errno 2] No such file or directory\n${prompt}`,
    );
    start = await command(0, 'python');
    await waitForText(page, 0, '>>> ', start, PYTHON_LOAD_MS);
    await typeInto(page, 0, 'import errno, socket\r');
    await waitForText(page, 0, '>>> import errno, socket\n>>> ', start);
    await typeInto(page, 0, 'errno.ECONNREFUSED, socket.gethostbyname("localhost")\r');
    await waitForText(page, 0, "(111, '127.0.0.1')\n>>> ", start);
    await typeInto(page, 0, '\x04');
    const shown = await waitForPrompt(0, start);
    assert.match(shown, /^python\nPython 3\.\d+\.\d+ \(main, [^)]*\) \[[^\]]+\] on emscripten\nType "help", "copyright", "credits" or "license" for more information\.\n>>> /);
    assert.ok(shown.endsWith(`(111, '127.0.0.1')\n>>> \n${prompt}`), shown);
  });
});
