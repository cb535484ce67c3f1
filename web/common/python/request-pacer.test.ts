// The channel WebSocket's pacing: a burst at once, then the rate.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { RequestPacer } from './request-pacer.ts';

test('a burst goes at once; past it each request waits its share of a second', () => {
  let clockMs = 0;
  const pacer = new RequestPacer(1000, () => clockMs);
  for (let i = 0; i < 100; i++) assert.equal(pacer.take(), 0, `request ${i} of the burst`);
  assert.equal(pacer.take(), 1);
  assert.equal(pacer.take(), 2);
  clockMs += 2; // the two waited
  assert.equal(pacer.take(), 1);
});

test('a pause refills the burst, no more', () => {
  let clockMs = 0;
  const pacer = new RequestPacer(1000, () => clockMs);
  for (let i = 0; i < 100; i++) pacer.take();
  clockMs += 60_000;
  let atOnce = 0;
  while (pacer.take() === 0) atOnce++;
  assert.equal(atOnce, 100);
});
