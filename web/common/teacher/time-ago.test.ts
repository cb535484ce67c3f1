import { test } from 'vitest';
import assert from 'node:assert/strict';
import { clockTime, timeAgo } from './time-ago.ts';

test('seconds, minutes, hours, days', () => {
  assert.equal(timeAgo(-5000), 'just now', 'a clock a little ahead');
  assert.equal(timeAgo(1999), 'just now');
  assert.equal(timeAgo(12_400), '12 s ago');
  assert.equal(timeAgo(59_999), '59 s ago');
  assert.equal(timeAgo(60_000), '1 min ago');
  assert.equal(timeAgo(3 * 3600_000 + 5), '3 h ago');
  assert.equal(timeAgo(24 * 3600_000), '1 day ago');
  assert.equal(timeAgo(50 * 3600_000), '2 days ago');
  assert.equal(timeAgo(NaN), 'just now');
});

test('a time of day today, with the weekday on another day', () => {
  const now = new Date(2026, 10, 24, 10, 0).getTime(); // a Tuesday
  assert.equal(clockTime(new Date(2026, 10, 24, 21, 5).getTime(), now), '21:05');
  assert.equal(clockTime(new Date(2026, 10, 25, 9, 40).getTime(), now), 'Wed 09:40');
});
