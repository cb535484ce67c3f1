import { test } from 'vitest';
import assert from 'node:assert/strict';
import { RATE_WINDOW_MS, RateWindow } from './rate-window.ts';

test('at most N in a window; refused events are not counted', () => {
  let now = 5_000;
  const window = new RateWindow(3, () => now);
  assert.equal(window.take(), true);
  assert.equal(window.take(), true);
  assert.equal(window.take(), true);
  for (let i = 0; i < 10; i++) assert.equal(window.take(), false);
  assert.equal(window.count, 3);
  now += RATE_WINDOW_MS - 1; // still inside the window of the first three
  assert.equal(window.take(), false);
  now += 1;
  assert.equal(window.take(), true, 'a second later there is room again');
});

test('the window slides: old events leave it a tenth of a second at a time', () => {
  let now = 0;
  const window = new RateWindow(10, () => now);
  for (let i = 0; i < 5; i++) assert.equal(window.take(), true); // at 0 ms
  now = 500;
  for (let i = 0; i < 5; i++) assert.equal(window.take(), true); // at 500 ms
  assert.equal(window.take(), false);
  now = 1000; // the first five have left; the five at 500 ms have not
  assert.equal(window.count, 5);
  for (let i = 0; i < 5; i++) assert.equal(window.take(), true);
  assert.equal(window.take(), false);
  now = 1500;
  assert.equal(window.count, 5);
});

test('a long pause empties the window; a clock that goes back changes nothing', () => {
  let now = 1_000_000;
  const window = new RateWindow(2, () => now);
  window.take();
  window.take();
  now = 999_000;
  assert.equal(window.take(), false);
  now = 5_000_000;
  assert.equal(window.count, 0);
  assert.equal(window.take(), true);
});

test('a huge limit costs no memory and is never reached by a modest burst', () => {
  const window = new RateWindow(Number.MAX_SAFE_INTEGER, () => 0);
  for (let i = 0; i < 100_000; i++) assert.equal(window.take(), true);
  assert.equal(window.count, 100_000);
});
