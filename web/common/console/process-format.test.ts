import { test } from 'vitest';
import assert from 'node:assert/strict';
import { formatPs, noSuchProcess, parseKillArgs } from './process-format.ts';

test('ps: PID, console and command, by PID, marking this console', () => {
  const out = formatPs(
    [
      { pid: 12, console: 2, name: 'basic_client' },
      { pid: 3, console: 1, name: 'shell' },
      { pid: 11, console: 1, name: 'basic_server' },
      { pid: 10, console: 2, name: 'shell' },
    ],
    3,
  );
  assert.equal(
    out,
    [
      '    PID  CONSOLE CMD',
      '      3        1 shell (this console)',
      '     10        2 shell',
      '     11        1 basic_server',
      '     12        2 basic_client',
      '',
    ].join('\n'),
  );
});

test('kill: PIDs, with or without a signal', () => {
  assert.deepEqual(parseKillArgs(['7']), [{ pid: 7 }]);
  assert.deepEqual(parseKillArgs(['7', '8']), [{ pid: 7 }, { pid: 8 }]);
  for (const signal of ['-9', '-15', '-KILL', '-TERM', '-SIGTERM', '-int']) {
    assert.deepEqual(parseKillArgs([signal, '7']), [{ pid: 7 }], signal);
  }
  assert.deepEqual(parseKillArgs(['-s', 'KILL', '7']), [{ pid: 7 }]);
});

test("kill: bash's messages for bad input", () => {
  assert.deepEqual(parseKillArgs([]), [{ error: 'kill: usage: kill [-SIGNAL] PID ...' }]);
  assert.deepEqual(parseKillArgs(['-9']), [{ error: 'kill: usage: kill [-SIGNAL] PID ...' }]);
  assert.deepEqual(parseKillArgs(['-FOO', '7']), [{ error: 'kill: -FOO: invalid signal specification' }]);
  assert.deepEqual(parseKillArgs(['abc', '7']), [{ error: 'kill: abc: arguments must be process or job IDs' }, { pid: 7 }]);
  assert.deepEqual(parseKillArgs(['-']), [{ error: 'kill: -: arguments must be process or job IDs' }]);
  assert.deepEqual(parseKillArgs(['99999999999']), [{ error: 'kill: (99999999999) - No such process' }]);
  assert.equal(noSuchProcess(42), 'kill: (42) - No such process');
});
