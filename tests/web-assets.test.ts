// What the server hands a browser: the page, hashed assets cached for good, the Python
// runtime from versioned paths, compressed and cached for good (never from a CDN).

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLabServer, type TestLabServer } from './support/lab-server.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const PYODIDE_VERSION = (createRequire(import.meta.url)('pyodide/package.json') as { version: string }).version;
let server: TestLabServer;
beforeAll(async () => {
  server = await startLabServer({ webRoot: resolve(REPO_ROOT, 'dist', 'web'), revealAnswers: false });
});
afterAll(() => server.close());

test('the Python runtime is served compressed from a versioned path, cached for good', async () => {
  for (const [file, type] of [
    ['pyodide.asm.wasm', 'application/wasm'],
    ['pyodide.asm.mjs', 'javascript'],
    ['python_stdlib.zip', 'application/zip'],
  ]) {
    const res = await fetch(`${server.baseUrl}/pyodide/${PYODIDE_VERSION}/${file}`, { headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(res.status, 200, file);
    assert.equal(res.headers.get('content-encoding'), 'br', file);
    assert.match(res.headers.get('content-type') ?? '', new RegExp(type), file);
    assert.match(res.headers.get('cache-control') ?? '', /immutable/, file);
    const raw = readFileSync(resolve(REPO_ROOT, 'node_modules', 'pyodide', file));
    assert.equal(Buffer.from(await res.arrayBuffer()).length, raw.length, `${file} arrives whole (fetch decompresses)`);
  }
});

test('the page revalidates; hashed assets are immutable; the page names no other host', async () => {
  const page = await fetch(`${server.baseUrl}/lab/ABCDEF`);
  assert.equal(page.headers.get('cache-control'), 'no-cache');
  const html = await page.text();
  assert.ok(!/https?:\/\//.test(html.replace(/xmlns="[^"]*"/g, '')), 'no absolute URL in the page');
  const asset = readdirSync(resolve(REPO_ROOT, 'dist', 'web', 'assets')).find((f) => f.endsWith('.js') && !f.startsWith('answers-'));
  const res = await fetch(`${server.baseUrl}/assets/${asset}`);
  assert.match(res.headers.get('cache-control') ?? '', /max-age=31536000, immutable/);
});

test("the page's scripts go compressed, and whole", async () => {
  const assets = resolve(REPO_ROOT, 'dist', 'web', 'assets');
  const asset = readdirSync(assets).find((f) => f.startsWith('index-') && f.endsWith('.js'))!;
  const raw = readFileSync(resolve(assets, asset));
  for (const encoding of ['br', 'gzip']) {
    const res = await fetch(`${server.baseUrl}/assets/${asset}`, { headers: { 'accept-encoding': encoding } });
    assert.equal(res.headers.get('content-encoding'), encoding);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), raw, 'fetch decompresses it to the built file');
  }
  const plain = await fetch(`${server.baseUrl}/assets/${asset}`, { headers: { 'accept-encoding': 'identity' } });
  assert.equal(plain.headers.get('content-encoding'), null);
  assert.equal(Buffer.from(await plain.arrayBuffer()).length, raw.length);
});

test('the answers stay refused, compressed or not, until revealed', async () => {
  const answers = readdirSync(resolve(REPO_ROOT, 'dist', 'web', 'assets')).find((f) => f.startsWith('answers-') && f.endsWith('.js'))!;
  for (const encoding of ['br', 'gzip', 'identity']) {
    const res = await fetch(`${server.baseUrl}/assets/${answers}`, { headers: { 'accept-encoding': encoding } });
    assert.equal(res.status, 404, encoding);
  }
  assert.equal((await fetch(`${server.baseUrl}/assets/${answers}.br`)).status, 404, 'nor its compressed copy by name');
});
