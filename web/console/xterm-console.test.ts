// @vitest-environment happy-dom
// The console's thin DOM adapter (happy-dom's DOM, the real server over a real WebSocket):
// what the terminal shows, what typed keys reach, and that closing it leaves nothing behind
// (no element, no window listener, no WebSocket on the server).

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { startLabServer, type TestLabServer } from '../../tests/support/lab-server.ts';
import { helpText } from '../common/console/shell-commands.ts';
import { XtermConsole, type ConsoleState } from './xterm-console.ts';

let server: TestLabServer;
beforeAll(async () => {
  server = await startLabServer();
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(server.baseUrl);
});
afterAll(() => server.close());

/** Resolves when the console is in the state (its element says so, as the page's tests read it). */
function reached(console: XtermConsole, state: ConsoleState): Promise<void> {
  return new Promise((resolve) => {
    const check = () => console.state === state && (observer.disconnect(), resolve());
    const observer = new MutationObserver(check);
    observer.observe(console.element, { attributes: true, attributeFilter: ['data-state'] });
    check();
  });
}

/** Resolves once the terminal shows text that ends with `ending` (xterm.js parses writes in batches). */
async function shows(console: XtermConsole, ending: string): Promise<string> {
  while (!console.screenText().endsWith(ending)) await new Promise((resolve) => setImmediate(resolve));
  return console.screenText();
}

test('the terminal shows the shell; typed keys reach it; closing leaves no element, listener or WebSocket', async () => {
  const listeners = new Set<unknown>();
  const add = window.addEventListener.bind(window);
  const remove = window.removeEventListener.bind(window);
  window.addEventListener = ((type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions) => {
    listeners.add(listener);
    add(type, listener, options);
  }) as typeof window.addEventListener;
  window.removeEventListener = ((type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions) => {
    listeners.delete(listener);
    remove(type, listener, options);
  }) as typeof window.removeEventListener;

  const code = await server.createLab();
  // The page is the lab's, on the server's origin: the bridge refuses WebSockets of other sites.
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`${server.baseUrl}/lab/${code}`);
  const parent = document.createElement('main');
  document.body.append(parent);
  const console = new XtermConsole(parent, { lab: code, deviceKey: 'xterm-console-test', bridgeUrl: `${server.wsUrl}` });
  await reached(console, 'prompt');
  // The terminal's lines are read trimmed: the prompt's space is a cell nobody sees.
  const prompt = `${console.element.dataset.address}$`;
  assert.equal(await shows(console, prompt), prompt);

  console.type('help\r');
  const screen = await shows(console, `\n${prompt}`);
  assert.ok(screen.startsWith(`${prompt} help\n`), screen);
  assert.ok(console.text().includes(helpText().split('\n')[0]!), console.text());

  console.close();
  assert.equal(parent.childElementCount, 0);
  assert.deepEqual([...listeners], [], 'window listeners left');
  while (server.app.websocketServer.clients.size > 0) await new Promise((resolve) => setImmediate(resolve));
});
