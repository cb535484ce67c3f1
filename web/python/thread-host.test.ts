// labthread's JS half without Pyodide: a lock that the releasing thread may take again (a
// release wakes a waiter, which tries again), a wait's timeout, Ctrl-C ending the main
// thread's lock wait, and the time slice after which a busy thread is asked to switch.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { MAIN_THREAD, SWITCH_INTERVAL_MS, ThreadHost } from './thread-host.ts';

const SWITCH = 10;

test('a release wakes the first waiter, which must try again (the releaser may take the lock first)', async () => {
  const host = new ThreadHost();
  host.current = 2;
  const lock = host.newLock();
  assert.equal(lock.tryAcquire(), true);
  assert.equal(lock.tryAcquire(), false);
  const waiting = lock.wait(-1);
  assert.equal(lock.release(), true);
  assert.equal(await waiting, 'wake');
  assert.equal(lock.tryAcquire(), true);
  assert.equal(lock.release(), true);
  assert.equal(lock.release(), false, 'not locked');
});

test("a wait's timeout; Ctrl-C ends the main thread's wait, not another's", async () => {
  const host = new ThreadHost();
  const lock = host.newLock();
  lock.tryAcquire();
  assert.equal(await lock.wait(1), 'timeout');
  host.current = 3;
  const other = lock.wait(-1);
  host.current = MAIN_THREAD;
  const main = lock.wait(-1);
  host.interruptMain();
  assert.equal(await main, 'interrupted');
  lock.release();
  assert.equal(await other, 'wake');
});

test('Ctrl-C for main while it is not waiting on a lock: raised when main runs again, or ends its next again', () => {
  const raised: number[] = [];
  const host = new ThreadHost();
  host.attach({ ctrlCPending: async () => false, raise: (signal) => raised.push(signal) });
  host.interruptMain();
  host.resumed(2);
  assert.deepEqual(raised, []);
  host.resumed(MAIN_THREAD);
  assert.deepEqual(raised, [2]);
  host.interruptMain();
  assert.equal(host.takeMainInterrupt(), true);
  assert.equal(host.takeMainInterrupt(), false);
});

test('a busy thread is asked to switch once its slice is up and another thread is alive, once until handled', () => {
  let now = 0;
  const host = new ThreadHost(() => now);
  host.switchSignal = SWITCH;
  host.resumed(MAIN_THREAD);
  assert.equal(host.switchDue(SWITCH_INTERVAL_MS + 1), 0, 'one thread alone');
  host.alive = 2;
  assert.equal(host.switchDue(SWITCH_INTERVAL_MS - 1), 0, 'slice not up');
  assert.equal(host.switchDue(SWITCH_INTERVAL_MS), SWITCH);
  assert.equal(host.switchDue(SWITCH_INTERVAL_MS + 1), 0, 'asked once');
  host.switchHandled(false); // not at a safe point: asked again at the next look
  assert.equal(host.switchDue(SWITCH_INTERVAL_MS + 2), SWITCH);
  now = 100;
  host.switchHandled(true);
  assert.equal(host.switchDue(101), 0, 'a new slice');
});
