#!/usr/bin/env node
// Runs every test with Node's own test runner (through tsx for TypeScript):
// unit tests beside the code (shared/, server/, web/, bench/: *.test.ts) and integration and browser
// tests in tests/, in parallel; then the tests in tests/interop/, one file at a time, because
// they run the worksheet's CPython programs, which bind the lesson's fixed ports on the host.
// Browser tests need Chromium: see scripts/ensure-chromium.mjs.
// Usage: npm test [-- FILE_OR_DIR ...]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ensureChromium } from './ensure-chromium.mjs';

const SERIAL_DIR = join('tests', 'interop');

function findTests(path, out) {
  const st = statSync(path);
  if (st.isFile()) {
    if (path.endsWith('.test.ts')) out.push(path);
    return out;
  }
  for (const name of readdirSync(path).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    findTests(join(path, name), out);
  }
  return out;
}

function run(files, concurrency) {
  if (files.length === 0) return 0;
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files],
    { stdio: 'inherit' },
  );
  return result.status ?? 1;
}

const args = process.argv.slice(2);
const roots = args.length > 0 ? args : ['shared', 'server', 'web', 'bench', 'tests'];
const files = roots.flatMap((r) => findTests(r, []));
if (files.length === 0) {
  console.error('no test files found under', roots.join(' '));
  process.exit(1);
}
if (files.some((f) => f.includes('browser')) && !ensureChromium()) process.exit(1);
const serial = files.filter((f) => f.startsWith(SERIAL_DIR));
const parallel = files.filter((f) => !f.startsWith(SERIAL_DIR));
const status = run(parallel, 2) || run(serial, 1);
process.exit(status);
