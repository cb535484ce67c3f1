// ConsoleConnection without a page: its sockets are scripted (the server's side played by the
// test), its screen is a list of what it wrote and showed, and its clocks move when the test
// says. What a console does when it connects, when the server restarts, when the student must
// press Enter, when the lab is gone, and when it is closed while connecting.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { CLOSE_CODES, PROTOCOL_VERSION, type Welcome } from '../../../shared/bridge-protocol.ts';
import type { WebSocketLike } from '../bridge/bridge-session.ts';
import type { CloseExplanation } from '../bridge/close-reasons.ts';
import { FIRST_RETRY_DELAY_MS, RETRY_JITTER_FRACTION, type RetryTimer } from '../bridge/reconnector.ts';
import { ConsoleConnection, HIDE_CURSOR, SHOW_CURSOR, type ConsoleView } from './console-connection.ts';
import type { ProgramLauncher } from './shell.ts';

/** One WebSocket whose server side the test plays. */
class ScriptedSocket implements WebSocketLike {
  binaryType = 'blob';
  readyState = 0;
  sent: unknown[] = [];
  closedByPage = false;
  private closeWaiters: (() => void)[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  send(data: string | Uint8Array): void {
    this.sent.push(data);
  }
  close(): void {
    this.closedByPage = true;
    this.closeWaiters.splice(0).forEach((resolve) => resolve());
  }
  /** Resolves when the page closes this socket. */
  closed(): Promise<void> {
    return this.closedByPage ? Promise.resolve() : new Promise((resolve) => this.closeWaiters.push(resolve));
  }
  welcome(pid: number): void {
    this.readyState = 1;
    this.onopen?.({});
    const welcome: Welcome = { t: 'welcome', v: PROTOCOL_VERSION, lab: 'ABC234', device: { id: 1, address: '10.1.0.2' }, pid, console: 1, revealAnswers: false };
    this.onmessage?.({ data: JSON.stringify(welcome) });
  }
  serverCloses(code: number, reason: string): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  unreachable(): void {
    this.onerror?.({});
    this.serverCloses(1006, '');
  }
}

/** Retries that wait until the test runs them. */
class HeldTimer implements RetryTimer {
  private next = 1;
  readonly due = new Map<number, { delayMs: number; callback: () => void }>();
  private setWaiters: (() => void)[] = [];
  set(callback: () => void, delayMs: number): unknown {
    this.due.set(this.next, { delayMs, callback });
    this.setWaiters.splice(0).forEach((resolve) => resolve());
    return this.next++;
  }
  /** Resolves when the next retry is scheduled. */
  scheduled(): Promise<void> {
    return new Promise((resolve) => this.setWaiters.push(resolve));
  }
  clear(handle: unknown): void {
    this.due.delete(handle as number);
  }
  /** Runs the one retry waiting; returns its delay. */
  fire(): number {
    assert.equal(this.due.size, 1, 'one retry waiting');
    const [[handle, { delayMs, callback }]] = [...this.due.entries()] as [[number, { delayMs: number; callback: () => void }]];
    this.due.delete(handle);
    callback();
    return delayMs;
  }
}

const noPrograms: ProgramLauncher = {
  find: async () => null,
  list: async () => [],
  start: () => Promise.reject(new Error('no programs here')),
};

/** What a listener will be given next, as a promise. */
function nextOf<T>(waiters: ((value: T) => void)[]): Promise<T> {
  return new Promise((resolve) => waiters.push(resolve));
}

function consoleOnScreen(initialCommand?: string) {
  const sockets: ScriptedSocket[] = [];
  const written: string[] = [];
  const views: ConsoleView[] = [];
  const later: (() => void)[] = [];
  const timer = new HeldTimer();
  const welcomeWaiters: ((again: boolean) => void)[] = [];
  const lostWaiters: ((explanation: CloseExplanation) => void)[] = [];
  const connection = new ConsoleConnection({
    lab: 'ABC234',
    deviceKey: 'device-key-1',
    openSocket: () => {
      const socket = new ScriptedSocket();
      sockets.push(socket);
      return socket;
    },
    screen: {
      write: (text) => written.push(text),
      clear: () => written.push('<clear>'),
      show: (view) => views.push(view),
    },
    launcherFor: () => noPrograms,
    initialCommand,
    onWelcome: (_welcome, again) => welcomeWaiters.shift()?.(again),
    onLost: (explanation) => lostWaiters.shift()?.(explanation),
    retryTimer: timer,
    later: (fn) => later.push(fn),
  });
  return {
    connection,
    sockets,
    timer,
    screen: () => written.join(''),
    view: () => views[views.length - 1]!,
    /** Runs what was put off to after this turn. */
    afterTurn: () => later.splice(0).forEach((fn) => fn()),
    welcomed: () => nextOf(welcomeWaiters),
    lost: () => nextOf(lostWaiters),
  };
}

async function connected(pid = 1000, initialCommand?: string) {
  const c = consoleOnScreen(initialCommand);
  c.connection.start();
  assert.equal(c.view().state, 'connecting');
  assert.equal(c.sockets.length, 1, 'the first attempt at once');
  const welcomed = c.welcomed();
  c.sockets[0]!.welcome(pid);
  assert.equal(await welcomed, false);
  return c;
}

test('connected: the shell prompts, the bar shows the PID, typed keys reach the line discipline', async () => {
  const c = await connected(1000);
  assert.deepEqual(JSON.parse(c.sockets[0]!.sent[0] as string), { t: 'hello', v: PROTOCOL_VERSION, lab: 'ABC234', device: 'device-key-1' });
  assert.equal(c.view().state, 'prompt');
  assert.equal(c.view().status, 'shell PID 1000');
  assert.equal(c.view().welcome?.device.address, '10.1.0.2');
  assert.equal(c.connection.pid, 1000);
  c.connection.input('ipcon');
  assert.equal(c.screen(), '10.1.0.2$ ipcon');
  assert.equal(c.connection.text(), '10.1.0.2$ ipcon');
});

test('the initial command is typed at the first prompt', async () => {
  const c = await connected(1000, 'nonesuch');
  assert.match(c.connection.text(), /^10\.1\.0\.2\$ nonesuch\n/);
});

test('a restart: said after the last words, retried with backoff, and a fresh shell takes over', async () => {
  const c = await connected(1000);
  const lost = c.lost();
  c.sockets[0]!.serverCloses(CLOSE_CODES.GOING_AWAY, 'server restarting');
  assert.equal((await lost).policy, 'auto');
  assert.equal(c.view().state, 'reconnecting');
  assert.equal(c.view().status, 'the lab server went away · reconnecting…');
  assert.equal(c.connection.retrying, true);
  assert.equal(c.screen(), '10.1.0.2$ ', 'nothing said in the turn the program may still print in');
  c.afterTurn();
  assert.equal(c.connection.text(), '10.1.0.2$ \n[The lab server went away. Reconnecting as soon as it is back…]\n');
  assert.ok(c.screen().endsWith(HIDE_CURSOR));

  c.connection.input('ls\r');
  assert.ok(!c.connection.text().includes('ls'), 'keys typed while reconnecting are dropped');

  const delayMs = c.timer.fire();
  assert.ok(delayMs >= FIRST_RETRY_DELAY_MS * (1 - RETRY_JITTER_FRACTION) && delayMs <= FIRST_RETRY_DELAY_MS, `the first retry soon (${delayMs} ms)`);
  assert.equal(c.sockets.length, 2);
  const welcomed = c.welcomed();
  c.sockets[1]!.welcome(1001);
  assert.equal(await welcomed, true);
  assert.equal(c.connection.lostBecause, null);
  assert.equal(c.connection.retrying, false);
  assert.equal(c.view().status, 'shell PID 1001');
  assert.ok(c.screen().includes(SHOW_CURSOR));
  assert.ok(c.connection.text().endsWith('[Reconnected: programs that were running have ended.]\n10.1.0.2$ '));
});

test('a close the student must answer: it waits for Enter, then connects again', async () => {
  const c = await connected(1000);
  const lost = c.lost();
  c.sockets[0]!.serverCloses(CLOSE_CODES.IDLE, 'idle');
  assert.equal((await lost).policy, 'on-request');
  assert.equal(c.view().state, 'disconnected');
  assert.equal(c.view().status, 'disconnected: the console was closed after a long time with nothing sent');
  assert.equal(c.connection.retrying, false);
  assert.equal(c.timer.due.size, 0);
  c.afterTurn();
  assert.ok(c.connection.text().endsWith('[Disconnected: the console was closed after a long time with nothing sent. Press Enter to reconnect.]\n'));
  assert.ok(!c.screen().endsWith(HIDE_CURSOR), 'the cursor stays: Enter means something');

  c.connection.input('x');
  assert.equal(c.sockets.length, 1, 'only Enter reconnects');
  c.connection.input('\r');
  assert.equal(c.view().state, 'reconnecting');
  assert.ok(c.connection.text().endsWith('[Reconnecting…]\n'));
  assert.equal(c.sockets.length, 2);
  const welcomed = c.welcomed();
  c.sockets[1]!.welcome(1002);
  assert.equal(await welcomed, true);
  assert.equal(c.view().state, 'prompt');
});

test('a lab that is gone: said once, no retry, and Enter does nothing', async () => {
  const c = await connected(1000);
  const lost = c.lost();
  c.sockets[0]!.serverCloses(CLOSE_CODES.LAB_CLOSED, 'lab closed');
  assert.equal((await lost).policy, 'never');
  c.afterTurn();
  assert.ok(c.connection.text().endsWith('[Disconnected: the teacher closed this lab. Start a new lab or join another one from the home page.]\n'));
  assert.ok(c.screen().endsWith(HIDE_CURSOR));
  c.connection.input('\r');
  assert.equal(c.sockets.length, 1);
  assert.equal(c.timer.due.size, 0);
});

test('no server at first: said once, then retried like a restart until it answers', async () => {
  const c = consoleOnScreen();
  c.connection.start();
  const lost = c.lost();
  c.sockets[0]!.unreachable();
  assert.equal((await lost).policy, 'auto');
  assert.equal(c.view().state, 'reconnecting');
  c.timer.fire();
  const scheduled = c.timer.scheduled(); // the second failure shows as the next retry
  c.sockets[1]!.unreachable();
  await scheduled;
  c.afterTurn();
  assert.equal(c.connection.text().match(/Reconnecting as soon as it is back/g)?.length, 1, 'said once');
  c.timer.fire();
  const welcomed = c.welcomed();
  c.sockets[2]!.welcome(1003);
  assert.equal(await welcomed, false, 'the first connection made');
});

test('closed while connecting: the session that comes later is closed, and nothing more is shown', async () => {
  const c = consoleOnScreen();
  c.connection.start();
  c.connection.close();
  assert.equal(c.view().state, 'closed');
  c.sockets[0]!.welcome(1000);
  await c.sockets[0]!.closed();
  assert.equal(c.screen(), '');
  assert.equal(c.view().state, 'closed');
});

test('close: the session is closed and a late close from the server says nothing', async () => {
  const c = await connected(1000);
  c.connection.close();
  assert.equal(c.sockets[0]!.closedByPage, true);
  assert.equal(c.view().status, 'closed');
  c.sockets[0]!.serverCloses(1000, '');
  c.afterTurn();
  assert.equal(c.connection.text(), '10.1.0.2$ ');
});
