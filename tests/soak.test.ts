// The short soak (npm run soak's run, a few pairs for a few seconds): framed chat both ways
// between pairs of consoles through the lab, every stream in order with its checksum matching.
// The seconds bound the run; nothing here asserts on time.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { runSoak } from '../bench/soak/soak-run.ts';
import { formatReport } from '../bench/soak/report.ts';

test('soak: 4 pairs chat for 3 s with nothing lost, reordered or corrupt', async () => {
  const report = await runSoak({ pairs: 4, seconds: 3, pairsPerLab: 2, intervalMs: 20 });
  const text = formatReport(report);
  assert.equal(report.streams, 8, text);
  assert.deepEqual(report.errors, [], text);
  assert.equal(report.lost, 0, text);
  assert.equal(report.reordered, 0, text);
  assert.equal(report.corrupt, 0, text);
  assert.equal(report.checksumMismatches, 0, text);
  assert.ok(report.sent > 8, text);
  assert.equal(report.received, report.sent, text);
  assert.equal(report.bytesReceived, report.bytesSent, text);
  assert.ok(report.ok, text);
});
