// Asks real CPython for expected values: one python3 run over all the cases of a test
// (batched, since spawning per case is slow). The input goes in as JSON on stdin and the
// script prints its answers as JSON.

import { spawnSync } from 'node:child_process';

export function runPython(script: string, input: unknown): any {
  const result = spawnSync('python3', ['-c', script], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}
