#!/usr/bin/env node
// Runs every test with Node's own test runner (through tsx for TypeScript):
// unit tests beside the code (shared/, server/, web/: *.test.ts) and integration,
// interop and browser tests in tests/. Browser tests need Chromium: see scripts/ensure-chromium.mjs.
// Usage: npm test [-- FILE_OR_DIR ...]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ensureChromium } from './ensure-chromium.mjs';

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

const args = process.argv.slice(2);
const roots = args.length > 0 ? args : ['shared', 'server', 'web', 'tests'];
const files = roots.flatMap((r) => findTests(r, []));
if (files.length === 0) {
  console.error('no test files found under', roots.join(' '));
  process.exit(1);
}
if (files.some((f) => f.includes('browser')) && !ensureChromium()) process.exit(1);
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
