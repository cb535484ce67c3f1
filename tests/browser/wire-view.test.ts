// The wire view in Chromium: a console's sockets' traffic as its programs saw it. The
// worksheet's Programs 3 and 4 show one recv is not one message: b'Hello fr' then
// b'om server\n' on two lines. The Nagle switch sets and clears TCP_NODELAY on the REAL socket
// (read from the kernel through its descriptor, not by counting reads, which the network
// decides), on a built-in's socket and on a browser Python program's (through its channel,
// while the program is blocked in recv). Served as http://lab.test (not a secure context),
// as a teacher's laptop serves it.

import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { consoleReady, consoleText, outputUntilPrompt, PYTHON_LOAD_MS, typeCommand, typeInto, waitForText } from '../support/browser.ts';
import { browserLabTest } from '../support/browser-test.ts';
import { waitListening, type TestLabServer } from '../support/lab-server.ts';
import { kernelNoDelay, labSocket } from '../support/tcp-nodelay.ts';

const test = browserLabTest();

const LAB_HOST = 'lab.test';
/** Two Python programs: the server's loads Python the long way (a fresh browser profile), the
 * client's may wait for the spare worker to load (PYTHON_LOAD_MS each); a minute for the rest. */
const PYTHON_TEST_MS = 2 * PYTHON_LOAD_MS + 60_000;

let server: TestLabServer;
let browser: Browser;
let page: Page;
let code: string;

test.beforeAll(async ({ server: fileServer, browser: fileBrowser }) => {
  server = fileServer;
  browser = fileBrowser;
  page = await browser.newPage();
  code = await server.createLab();
  await page.goto(`http://${LAB_HOST}:${server.port}/lab/${code}`);
  await consoleReady(page, 0);
  await page.locator('header button.new-console').click();
  await consoleReady(page, 1);
});
const consoleEl = (i: number) => page.locator('section.console').nth(i);

const command = (i: number, line: string): Promise<number> => typeCommand(page, i, line);

const waitForPrompt = async (i: number, from: number, timeoutMs = 30_000): Promise<void> => void (await outputUntilPrompt(page, i, from, timeoutMs));

/** Opens console i's wire view with its bar's Wire button (once), as a student would. */
async function openWire(i: number): Promise<void> {
  const toggle = consoleEl(i).locator('.console-wire-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await consoleEl(i).locator('.wire-view:not([hidden])').waitFor();
}

/** The wire view's lines of console i for one direction, the time stripped off. */
async function wireLines(i: number, direction: string): Promise<string[]> {
  const texts = await consoleEl(i).locator(`.wire-line[data-direction="${direction}"]`).allTextContents();
  return texts.map((t) => t.replace(/^\d\d:\d\d:\d\d\.\d{3}  /, ''));
}

/** Clears both wire views, so a test sees only its own lines. */
async function clearWire(): Promise<void> {
  for (const i of [0, 1]) {
    await openWire(i);
    await consoleEl(i).locator('.wire-clear').click();
  }
}

test("Programs 3 and 4: the client's wire view shows two reads, b'Hello fr' then b'om server\\n'", async () => {
  await clearWire();
  const serverStart = await command(0, 'run basic_server_split');
  await waitListening(server, code, 12345);
  const clientStart = await command(1, 'run basic_client_protocol');
  await waitForText(page, 1, 'Enter IPv4 address of server: ', clientStart);
  await typeInto(page, 1, '127.0.0.1\r');
  await waitForText(page, 1, 'Enter port number of server: ', clientStart);
  await typeInto(page, 1, '12345\r');
  await waitForPrompt(1, clientStart);
  await waitForPrompt(0, serverStart);
  assert.match(await consoleText(page, 1), /b'Hello from server\\n'\n/);

  const recvs = await wireLines(1, 'recv');
  assert.equal(recvs.length, 2, recvs.join('\n'));
  assert.match(recvs[0]!, /^sock \d+ \(127\.0\.0\.1:\d+ ↔ 127\.0\.0\.1:12345\)  recv    b'Hello fr'$/);
  assert.match(recvs[1]!, /^sock \d+ \(127\.0\.0\.1:\d+ ↔ 127\.0\.0\.1:12345\)  recv    b'om server\\n'$/);
  // The server's side: two sendall calls, and each end's connect/accept and close.
  const sends = await wireLines(0, 'send');
  assert.deepEqual(sends.map((l) => l.replace(/^.*send\s+/, '')), ["b'Hello fr'", "b'om server\\n'"]);
  assert.equal((await wireLines(1, 'connect')).length, 1);
  assert.match((await wireLines(0, 'accept'))[0]!, /^sock \d+ \(127\.0\.0\.1:12345 ↔ 127\.0\.0\.1:\d+\)  accept  from 127\.0\.0\.1:\d+$/);

  // Copy and Pause say what they did; Clear empties the view.
  await consoleEl(1).locator('.wire-copy').click();
  await consoleEl(1).locator('.wire-status', { hasText: /Copied \d+ lines|Could not copy/ }).waitFor();
  assert.match(await page.evaluate(() => window.socketLab!.consoles[1]!.wireText()), /recv {4}b'Hello fr'\n.*recv {4}b'om server\\n'/);
  await consoleEl(1).locator('.wire-pause').click();
  assert.equal(await consoleEl(1).locator('.wire-pause').getAttribute('aria-pressed'), 'true');
  await consoleEl(1).locator('.wire-pause').click();
  await consoleEl(1).locator('.wire-clear').click();
  assert.equal(await consoleEl(1).locator('.wire-line').count(), 0);
  // The log is for reading, not announcing: a log role that is not live.
  assert.equal(await consoleEl(1).locator('.wire-lines').getAttribute('role'), 'log');
  assert.equal(await consoleEl(1).locator('.wire-lines').getAttribute('aria-live'), 'off');
});

/** Turns the Nagle switch of console i's socket with the keyboard; waits for the view to say it is done. */
async function toggleNagle(i: number, sock: number, expectNagle: boolean): Promise<void> {
  const input = consoleEl(i).locator(`.wire-switch[data-sock="${sock}"] input`);
  await input.focus();
  await page.keyboard.press('Space');
  await consoleEl(i).locator('.wire-status', { hasText: `sock ${sock}: Nagle's algorithm ${expectNagle ? 'on' : 'off'}` }).waitFor();
  assert.equal(await input.isChecked(), expectNagle);
}

test('the Nagle switch sets and clears TCP_NODELAY on the real socket (nc)', async () => {
  await clearWire();
  const listenStart = await command(0, 'nc -l 5000');
  await waitListening(server, code, 5000);
  const connectStart = await command(1, 'nc 127.0.0.1 5000');
  await openWire(1);
  const switchLabel = consoleEl(1).locator('.wire-switch');
  await switchLabel.waitFor();
  const sock = Number(await switchLabel.getAttribute('data-sock'));
  const real = labSocket(server, code, sock).real!;
  assert.equal(await switchLabel.locator('input').isChecked(), true, "Nagle's algorithm is on by default");
  assert.equal(kernelNoDelay(real), 0);

  await toggleNagle(1, sock, false);
  assert.equal(kernelNoDelay(real), 1);
  await toggleNagle(1, sock, true);
  assert.equal(kernelNoDelay(real), 0);
  assert.deepEqual(
    (await wireLines(1, 'option')).map((l) => l.replace(/^.*option\s+/, '')),
    ['TCP_NODELAY=1 (Nagle off, set from the wire view)', 'TCP_NODELAY=0 (Nagle on, set from the wire view)'],
  );

  // A typed line goes out as one send; the other end reads it.
  await typeInto(page, 1, 'hi\r');
  await waitForText(page, 0, 'hi\n', listenStart + 'nc -l 5000\n'.length);
  assert.ok((await wireLines(1, 'send')).some((l) => l.endsWith("b'hi\\n'")));
  await typeInto(page, 1, '\x03');
  await typeInto(page, 0, '\x03');
  await waitForPrompt(1, connectStart);
  await waitForPrompt(0, listenStart);
  // The program has ended: its socket has no switch any more.
  await switchLabel.waitFor({ state: 'detached' });
});

const PY_SERVER = `import socket
s = socket.socket()
s.bind(('127.0.0.1', 5001))
s.listen()
conn, addr = s.accept()
print('nodelay', conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
data = b''
while b'\\n' not in data:
    data += conn.recv(1024)
print('nodelay', conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 0)
conn.sendall(b'ok\\n')
conn.close()
s.close()
`;

const PY_CLIENT = `import socket
c = socket.create_connection(('127.0.0.1', 5001))
input('send? ')
c.sendall(b'ping\\n')
print(c.recv(1024))
c.close()
`;

test("browser Python: the wire view shows its sends and recvs; the switch reaches its socket, getsockopt reads it", { timeout: PYTHON_TEST_MS }, async () => {
  await clearWire();
  await page.evaluate(([a, b]) => {
    window.socketLab!.files!.write('wire_server.py', a!);
    window.socketLab!.files!.write('wire_client.py', b!);
  }, [PY_SERVER, PY_CLIENT]);
  const serverStart = await command(0, 'python wire_server.py');
  await waitListening(server, code, 5001);
  const clientStart = await command(1, 'python wire_client.py');
  await waitForText(page, 1, 'send? ', clientStart, PYTHON_LOAD_MS);
  await waitForText(page, 0, 'nodelay 0\n', serverStart);

  // The server is blocked in recv; the switch of its accepted socket works meanwhile.
  const switchLabel = consoleEl(0).locator('.wire-switch');
  await switchLabel.waitFor();
  const sock = Number(await switchLabel.getAttribute('data-sock'));
  const real = labSocket(server, code, sock).real!;
  assert.equal(kernelNoDelay(real), 0);
  await toggleNagle(0, sock, false);
  assert.equal(kernelNoDelay(real), 1);

  await typeInto(page, 1, '\r');
  await waitForPrompt(1, clientStart, 30_000);
  await waitForPrompt(0, serverStart, 30_000);
  // getsockopt read what the switch set: one implementation, on the server.
  assert.match(await consoleText(page, 0), /nodelay 0\nnodelay 1\n/);
  assert.match(await consoleText(page, 1), /b'ok\\n'\n/);

  const payload = (l: string) => l.replace(/^.*(send|recv)\s+/, '');
  assert.deepEqual((await wireLines(1, 'send')).map(payload), ["b'ping\\n'"]);
  assert.deepEqual((await wireLines(1, 'recv')).map(payload), ["b'ok\\n'"]);
  assert.deepEqual((await wireLines(0, 'recv')).map(payload), ["b'ping\\n'"]);
  assert.deepEqual((await wireLines(0, 'send')).map(payload), ["b'ok\\n'"]);
  assert.match((await wireLines(1, 'connect'))[0]!, /^sock \d+ \(127\.0\.0\.1:\d+ ↔ 127\.0\.0\.1:5001\)  connect to 127\.0\.0\.1:5001$/);
  assert.deepEqual(
    (await wireLines(0, 'option')).map((l) => l.replace(/^.*option\s+/, '')),
    ['TCP_NODELAY=1 (Nagle off, set from the wire view)', 'TCP_NODELAY=0 (Nagle on)'],
  );
});

test('screen-reader mode: one toggle for every console, remembered in localStorage', async () => {
  const toggle = consoleEl(0).locator('.console-reader-toggle');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  await toggle.focus();
  await page.keyboard.press('Enter');
  for (const i of [0, 1]) {
    await page.waitForFunction((n) => document.querySelectorAll<HTMLElement>('section.console')[n]!.dataset.screenReader === 'on', i);
    assert.equal(await consoleEl(i).locator('.console-reader-toggle').getAttribute('aria-pressed'), 'true');
  }
  // xterm.js's accessibility tree is there for a screen reader to read.
  await consoleEl(0).locator('.xterm-accessibility').first().waitFor({ state: 'attached' });
  assert.equal(await page.evaluate(() => localStorage.getItem('socketlab.screenReaderMode')), 'on');
  await toggle.click();
  await page.waitForFunction(() => document.querySelector<HTMLElement>('section.console')!.dataset.screenReader === 'off');
});

test("the consoles follow the page's theme, else the system's", async () => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.evaluate(() => {
    delete document.documentElement.dataset.theme;
    window.dispatchEvent(new Event('socketlab:theme'));
  });
  await page.waitForFunction(() => document.querySelector<HTMLElement>('section.console')!.dataset.consoleTheme === 'dark');
  await page.evaluate(() => {
    document.documentElement.dataset.theme = 'light';
    window.dispatchEvent(new Event('socketlab:theme'));
  });
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLElement>('section.console')].every((c) => c.dataset.consoleTheme === 'light'),
  );
});
