import { test } from 'vitest';
import assert from 'node:assert/strict';
import { compareLabUse, LAB_ENDED_AFTER_MS, labExpired, labRemovalTime, labState, RECONNECT_GRACE_MS, type LabUse } from './lab-activity.ts';

const NOW = 1_800_000_000_000;
const HOUR_MS = 3_600_000;
const lab = (number: number, consolesOpen: number, idleMs: number): LabUse => ({ number, consolesOpen, lastActive: NOW - idleMs });

test('open while a console is open, however long ago it opened; idle, then ended', () => {
  assert.equal(labState(lab(1, 2, 30 * HOUR_MS), NOW), 'open');
  assert.equal(labState(lab(1, 0, 0), NOW), 'idle');
  assert.equal(labState(lab(1, 0, LAB_ENDED_AFTER_MS - 1), NOW), 'idle');
  assert.equal(labState(lab(1, 0, LAB_ENDED_AFTER_MS), NOW), 'ended');
});

test('removed after the retention with no console; never with one, never with retention 0', () => {
  const retention = 12 * HOUR_MS;
  assert.equal(labExpired(lab(1, 0, retention - 1), NOW, retention), false);
  assert.equal(labExpired(lab(1, 0, retention), NOW, retention), true);
  assert.equal(labExpired(lab(1, 1, 10 * retention), NOW, retention), false);
  assert.equal(labExpired(lab(1, 0, 1000 * HOUR_MS), NOW, 0), false);
  assert.equal(labRemovalTime(lab(1, 0, HOUR_MS), retention), NOW - HOUR_MS + retention);
  assert.equal(labRemovalTime(lab(1, 1, HOUR_MS), retention), null);
  assert.equal(labRemovalTime(lab(1, 0, HOUR_MS), 0), null);
});

test('labs in use first, in the order they were made; then the most recently used', () => {
  const labs = [
    lab(1, 0, 3 * HOUR_MS),
    lab(2, 1, 5 * HOUR_MS),
    lab(3, 0, 10 * 60_000),
    lab(4, 0, RECONNECT_GRACE_MS - 1000),
    lab(5, 3, 0),
    lab(6, 0, 20 * HOUR_MS),
    lab(7, 0, 10 * 60_000),
  ];
  const order = [...labs].sort((a, b) => compareLabUse(a, b, NOW)).map((l) => l.number);
  assert.deepEqual(order, [2, 4, 5, 7, 3, 1, 6]);
});
