import { test } from 'vitest';
import assert from 'node:assert/strict';
import { JOIN_WINDOW_MS, JoinLimiter } from './join-limiter.ts';

test('an address may try N wrong codes a minute, then waits for the window to end', () => {
  let now = 1_000_000;
  const limiter = new JoinLimiter(3, () => now);
  for (let i = 0; i < 3; i++) {
    assert.equal(limiter.allowed('10.0.0.5'), true);
    limiter.wrong('10.0.0.5');
  }
  assert.equal(limiter.allowed('10.0.0.5'), false);
  assert.equal(limiter.retryAfterSeconds('10.0.0.5'), 60);
  assert.equal(limiter.allowed('10.0.0.6'), true, 'another address is not held up');
  now += JOIN_WINDOW_MS - 1500;
  assert.equal(limiter.retryAfterSeconds('10.0.0.5'), 2);
  now += 1500;
  assert.equal(limiter.allowed('10.0.0.5'), true);
  assert.equal(limiter.retryAfterSeconds('10.0.0.5'), 0);
});
