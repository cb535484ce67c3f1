#!/usr/bin/env node
// After `vite build`: gzip and brotli copies of the page's text files in dist/web (scripts,
// styles, HTML, source of workers), so the first console needs a third of the bytes.
import { readdirSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compressBeside } from './compress-beside.mjs';

/** Compressing tiny files gains nothing; images and fonts are compressed already. */
const MIN_BYTES = 1024;
const TEXT_EXTENSIONS = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.py', '.txt', '.map']);

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'web');

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

const targets = [...files(root)].filter((p) => TEXT_EXTENSIONS.has(extname(p)) && statSync(p).size >= MIN_BYTES);
await Promise.all(targets.map(compressBeside));
