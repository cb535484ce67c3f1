import { test } from 'vitest';
import assert from 'node:assert/strict';
import { MessageGuard } from './message-guard.ts';
import { limitNotice, limitRefusal } from './limit-refusals.ts';
import { defaultLimits } from '../limits.ts';

test('messages per second: the message past the rate is refused until the window moves on', () => {
  let now = 0;
  const guard = new MessageGuard({ messagesPerSecond: 10, badMessages: 3 }, () => now);
  for (let i = 0; i < 10; i++) assert.equal(guard.admit(), true);
  assert.equal(guard.admit(), false);
  now = 1000;
  assert.equal(guard.admit(), true);
});

test('a well-behaved page stays under the default: a 1 MiB sendall and 1000 round trips a second', () => {
  let now = 0;
  const guard = new MessageGuard(defaultLimits(), () => now);
  // 1000 request/response round trips in one second: a data frame and a credit each, and
  // a 1 MiB sendall (16 frames of 64 KiB) and a few calls besides.
  for (let i = 0; i < 1000; i++) {
    now = i;
    assert.equal(guard.admit(), true);
    assert.equal(guard.admit(), true);
  }
  for (let i = 0; i < 16 + 10; i++) assert.equal(guard.admit(), true);
});

test('bad messages: disconnect only past the limit', () => {
  const guard = new MessageGuard({ messagesPerSecond: 10, badMessages: 3 });
  assert.equal(guard.countBad(), false);
  assert.equal(guard.countBad(), false);
  assert.equal(guard.countBad(), false);
  assert.equal(guard.countBad(), true);
  assert.equal(guard.bad, 4);
});

test('the page is told the limit, its value and the option', () => {
  const limits = { ...defaultLimits(), socketsPerConsole: 64 };
  assert.equal(
    limitNotice('socketsPerConsole', 64),
    'this console has 64 sockets open, the most the lab allows (--limit sockets-per-console)',
  );
  assert.deepEqual(limitRefusal('socketsPerConsole', limits).err, { type: 'OSError', errno: 24, msg: 'Too many open files' });
  assert.deepEqual(limitRefusal('socketsPerLab', limits).err, { type: 'OSError', errno: 23, msg: 'Too many open files in system' });
  assert.deepEqual(limitRefusal('listenersPerDevice', limits).err, { type: 'OSError', errno: 105, msg: 'No buffer space available' });
  assert.deepEqual(limitRefusal('connectionsPerSecond', limits).err, { type: 'OSError', errno: 99, msg: 'Cannot assign requested address' });
  assert.match(limitRefusal('connectionsPerSecond', limits).limit, /--limit connections-per-second\)$/);
});
