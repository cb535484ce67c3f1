#!/usr/bin/env node
// Copies the Pyodide runtime from the `pyodide` npm package into dist/pyodide/VERSION/, with
// gzip and brotli copies beside each file, so the server hands browsers the compressed file
// from a versioned path cached for good. Nothing is ever fetched from a CDN. Skips the work
// when the version's folder is already complete.
import { existsSync, mkdirSync, readFileSync, copyFileSync, rmSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compressBeside } from './compress-beside.mjs';

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('pyodide/package.json'));
const version = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'pyodide');
const out = join(root, version);
/** What loadPyodide fetches for the core runtime (no extra packages). */
const FILES = ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'];
const DONE_MARKER = join(out, '.complete');

if (existsSync(DONE_MARKER)) process.exit(0);
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
