// The busy loop's Ctrl-C check: the server is asked at most every SIGNAL_POLL_INTERVAL_MS,
// a signal found stays until Pyodide writes 0 back.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { createInterruptPoller, SIGINT, SIGNAL_POLL_INTERVAL_MS } from './interrupt-poller.ts';

test('asks the server at most every poll interval, and reports SIGINT until Pyodide clears it', () => {
  let clockMs = 0;
  let asked = 0;
  let ctrlC = false;
  const poller = createInterruptPoller(() => {
    asked++;
    return ctrlC;
  }, () => clockMs);
  const checks = (n: number) => {
    let seen = 0;
    for (let i = 0; i < n; i++) seen = poller.buffer[0];
    return seen;
  };
  assert.equal(checks(10_000), 0);
  assert.equal(asked, 0, 'no time has passed');
  clockMs += SIGNAL_POLL_INTERVAL_MS;
  assert.equal(checks(10_000), 0);
  assert.equal(asked, 1);
  ctrlC = true;
  clockMs += SIGNAL_POLL_INTERVAL_MS - 1;
  assert.equal(checks(1000), 0);
  clockMs += 1;
  assert.equal(checks(1000), SIGINT);
  assert.equal(poller.buffer[0], SIGINT, 'pending until written back');
  poller.buffer[0] = 0;
  ctrlC = false;
  assert.equal(poller.buffer[0], 0);
  poller.raise(SIGINT);
  assert.equal(poller.buffer[0], SIGINT);
});

test('a request the server has just answered counts as a poll', () => {
  let clockMs = 0;
  let asked = 0;
  const poller = createInterruptPoller(() => {
    asked++;
    return false;
  }, () => clockMs);
  const checks = (n: number) => {
    for (let i = 0; i < n; i++) void poller.buffer[0];
  };
  clockMs += SIGNAL_POLL_INTERVAL_MS - 10;
  poller.checked();
  clockMs += 20;
  checks(10_000);
  assert.equal(asked, 0, 'the answer 20 ms ago said no Ctrl-C was pending');
  clockMs += SIGNAL_POLL_INTERVAL_MS;
  checks(10_000);
  assert.equal(asked, 1);
});
