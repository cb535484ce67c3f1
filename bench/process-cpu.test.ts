import { test } from 'vitest';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { CpuMeter, cpuSecondsOf } from './process-cpu.ts';

test("a process's CPU time grows while it works, and a gone process reads 0", () => {
  const before = cpuSecondsOf(process.pid);
  // Spin until the clock-tick counters have moved (they count in hundredths of a second).
  const start = performance.now();
  while (cpuSecondsOf(process.pid) <= before && performance.now() - start < 10_000);
  assert.ok(cpuSecondsOf(process.pid) > before);
  assert.equal(cpuSecondsOf(2 ** 22 + 1), 0, 'above the largest pid Linux gives');
});

test('a meter gives each group the CPU its processes used over the span', async () => {
  // A child that burns CPU until it has used 0.2 s of it, then says so and waits.
  const child = spawn(process.execPath, ['-e', "const t=process.cpuUsage;while((t().user+t().system)<2e5);console.log('done');setInterval(()=>{},1e6)"], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const meter = new CpuMeter({ busy: () => [child.pid!], none: () => [] });
    meter.start();
    await once(child.stdout!, 'data');
    const use = meter.stop();
    assert.ok(use.cpuSeconds.busy! >= 0.1, `the child's CPU: ${use.cpuSeconds.busy}`);
    assert.equal(use.cpuSeconds.none, 0);
    assert.ok(use.seconds > 0);
  } finally {
    child.kill();
  }
});
