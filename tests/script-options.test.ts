// npm run soak and npm run bench read their options from tables (server/cli/option-table.ts):
// their --help lists what the READMEs say they take, and a wrong option stops them, named,
// before anything runs.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

function runScript(script: string, args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
}

const SCRIPTS = [
  { script: 'scripts/soak.ts', command: 'npm run soak --', prefix: 'soak', options: ['--pairs N', '--minutes M', '--seconds S', '--pairs-per-lab K', '--interval MS', '--json'] },
  { script: 'bench/run-bench.ts', command: 'npm run bench --', prefix: 'bench', options: ['--quick', '--only NAME,...', '--out FILE'] },
];

for (const { script, command, prefix, options } of SCRIPTS) {
  test(`${script}: --help lists its options`, () => {
    const run = runScript(script, ['--help']);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(run.stdout.startsWith(`Usage: ${command} [options]\n`), run.stdout);
    for (const option of options) assert.match(run.stdout, new RegExp(`^ {2}${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `, 'm'), option);
  });

  test(`${script}: an unknown option or a missing value stops it with exit code 2, named`, () => {
    const unknown = runScript(script, ['--nope']);
    assert.equal(unknown.status, 2, unknown.stderr);
    assert.equal(unknown.stderr, `${prefix}: unknown option '--nope' (${command} --help lists them)\n`);
    const missing = runScript(script, [options[1]!.split(' ')[0]!]);
    assert.equal(missing.status, 2, missing.stderr);
    assert.match(missing.stderr, /needs a value/);
  });
}
