#!/usr/bin/env node
// Copies the Pyodide runtime from the `pyodide` npm package into dist/pyodide/VERSION/, with
// gzip and brotli copies beside each file, so the server hands browsers the compressed file
// from a versioned path cached for good. Nothing is ever fetched from a CDN. Skips the work
// when the version's folder is already complete.
//
// Beside the runtime goes the memory snapshot of a freshly started Pyodide that the Python
// worker restores instead of starting CPython (scripts/make-pyodide-snapshot.mjs), made when
// missing. Its compressed copies are made at lower levels than the runtime's: at the highest
// ones the 31 MB snapshot took 6 s to compress for 1-3% fewer bytes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, copyFileSync, rmSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { compressBeside } from './compress-beside.mjs';
import { JSPI_FLAGS, SNAPSHOT_FILE } from './make-pyodide-snapshot.mjs';

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('pyodide/package.json'));
const version = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'pyodide');
const out = join(root, version);
/** What loadPyodide fetches for the core runtime (no extra packages). */
const FILES = ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'];
const DONE_MARKER = join(out, '.complete');
const SNAPSHOT_GZIP_LEVEL = 6;
const SNAPSHOT_BROTLI_QUALITY = 5;

async function copyRuntime() {
  // Older versions' folders go: only the installed version is served.
  if (existsSync(root)) for (const name of readdirSync(root)) if (name !== version) rmSync(join(root, name), { recursive: true });
  mkdirSync(out, { recursive: true });
  await Promise.all(
    FILES.map(async (name) => {
      const source = join(packageDir, name);
      copyFileSync(source, join(out, name));
      await compressBeside(join(out, name));
    }),
  );
  copyFileSync(join(packageDir, 'package.json'), DONE_MARKER);
  console.log(`Pyodide ${version} ready in dist/pyodide/${version}/`);
}

/** The first of JSPI_FLAGS this Node accepts (it refuses an unknown V8 flag), or null. */
function jspiFlag() {
  return JSPI_FLAGS.find((flag) => spawnSync(process.execPath, [flag, '-e', "process.exit('Suspending' in WebAssembly || 'Suspender' in WebAssembly ? 0 : 1)"]).status === 0) ?? null;
}

async function makeSnapshot() {
  const started = performance.now();
  // Another format's snapshot is no longer asked for.
  for (const name of readdirSync(out)) if (name.startsWith('socketlab-snapshot-')) rmSync(join(out, name));
  const flag = jspiFlag();
  if (!flag) {
    // Python still starts (the long way); the build goes on.
    console.warn('No Pyodide snapshot: this Node cannot turn JSPI on, which the snapshot must be made with');
    return;
  }
  const path = join(out, SNAPSHOT_FILE);
  const made = spawnSync(process.execPath, [flag, join(dirname(fileURLToPath(import.meta.url)), 'make-pyodide-snapshot.mjs'), `${path}.tmp`], { stdio: 'inherit' });
  if (made.status !== 0) throw new Error(`make-pyodide-snapshot.mjs exited ${made.status}`);
  const file = readFileSync(`${path}.tmp`);
  rmSync(`${path}.tmp`);
  const gzip = promisify(zlib.gzip)(file, { level: SNAPSHOT_GZIP_LEVEL });
  const brotli = promisify(zlib.brotliCompress)(file, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: SNAPSHOT_BROTLI_QUALITY } });
  writeFileSync(`${path}.gz`, await gzip);
  writeFileSync(`${path}.br`, await brotli);
  // Written last: a build stopped halfway leaves no snapshot without its compressed copies.
  writeFileSync(path, file);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`Pyodide snapshot ${SNAPSHOT_FILE} made in ${seconds} s (${(file.byteLength / 1e6).toFixed(1)} MB)`);
}

if (!existsSync(DONE_MARKER)) await copyRuntime();
if (!existsSync(join(out, SNAPSHOT_FILE))) await makeSnapshot();
