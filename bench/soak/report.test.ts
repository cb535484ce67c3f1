import { test } from 'vitest';
import assert from 'node:assert/strict';
import { buildReport, formatReport, slope, summarizeMemory } from './report.ts';
import type { StreamVerdict } from './frame.ts';

const good: StreamVerdict = { sent: 10, received: 10, bytesSent: 100, bytesReceived: 100, lost: 0, reordered: 0, corrupt: 0, checksumMatches: true };

test('slope is least squares', () => {
  assert.equal(slope([]), 0);
  assert.equal(slope([{ x: 1, y: 5 }]), 0);
  assert.equal(slope([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }]), 2);
});

test('memory summary: first, last, max and slope per minute', () => {
  const m = summarizeMemory(
    [
      { t: 0, rss: 100, heapUsed: 10 },
      { t: 30, rss: 300, heapUsed: 10 },
      { t: 60, rss: 200, heapUsed: 10 },
    ],
    'rss',
  )!;
  assert.deepEqual(m, { samples: 3, first: 100, last: 200, max: 300, slopePerMinute: 100 });
  assert.equal(summarizeMemory([], 'rss'), null);
});

test('the report totals streams and is ok only when nothing went wrong', () => {
  const ok = buildReport({ pairs: 1, seconds: 2, verdicts: [good, good], errors: [], memory: [] });
  assert.equal(ok.ok, true);
  assert.equal(ok.sent, 20);
  assert.match(formatReport(ok), /lost 0, reordered 0, corrupt 0, checksum mismatches 0, errors 0[\s\S]*OK/);
  assert.equal(buildReport({ pairs: 1, seconds: 2, verdicts: [good, { ...good, lost: 1, received: 9 }], errors: [], memory: [] }).ok, false);
  assert.equal(buildReport({ pairs: 1, seconds: 2, verdicts: [good, { ...good, checksumMatches: false }], errors: [], memory: [] }).ok, false);
  assert.equal(buildReport({ pairs: 1, seconds: 2, verdicts: [good, good], errors: ['boom'], memory: [] }).ok, false);
  assert.equal(buildReport({ pairs: 2, seconds: 2, verdicts: [good, good], errors: [], memory: [] }).ok, false, 'a stream is missing');
});
