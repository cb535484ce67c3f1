import { test } from 'vitest';
import assert from 'node:assert/strict';
import { figureOf, formatTable, percentile, ratio } from './measure.ts';

test('median, spread, percentiles and the ratio against the baseline', () => {
  assert.deepEqual(figureOf([3, 1, 2]), { median: 2, min: 1, max: 3, runs: 3 });
  assert.equal(figureOf([4, 1, 2, 3]).median, 2.5);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50), 5);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99), 10);
  const row = { measure: 'x', unit: 'MB/s', better: 'higher' as const, ours: figureOf([50]), baseline: { name: 'raw', figure: figureOf([100]) }, goal: '>= 0.5x', met: true };
  assert.equal(ratio(row), 0.5);
  assert.match(formatTable([row]), /x\s+MB\/s\s+50\.0\s+raw\s+100\s+0\.50x\s+>= 0\.5x\s+yes/);
});
