// Python's start from a memory snapshot (web/python/pyodide-loader.ts): the first load starts
// CPython the long way and stores a snapshot in the page origin's IndexedDB; a reload starts
// from it, and its Python is the one a fresh start gives. A snapshot that cannot start Python
// (broken, or of another version) is not used, and a good one replaces it. Each worker's
// load report (python-load-report.ts) says which way it started.

import { afterAll } from 'vitest';
import assert from 'node:assert/strict';
import { browserLabTest } from '../support/browser-test.ts';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type TestLabServer } from '../support/lab-server.ts';
import { consoleReady, textUntilPrompt, typeCommand } from '../support/browser.ts';
import { PYTHON_LOAD_CHANNEL, PYTHON_LOAD_MARKS, type PythonLoadReport } from '../../web/python/python-load-report.ts';
import { SNAPSHOT_DB_NAME, SNAPSHOT_RECORD_ID, SNAPSHOT_STORE_NAME } from '../../web/python/pyodide-snapshot-store.ts';

const test = browserLabTest();

const LAB_HOST = 'lab.test';
/** Loading Pyodide the long way on a slow machine, twice over, with time to spare. */
const TEST_MS = 120_000;

/** What a fresh Python and a restored one must print alike (and a random number, which must differ). */
const PROBE_PY = `import os, sys, random, socket, errno
print('path', sys.path)
print('cwd', os.getcwd(), os.environ.get('HOME'))
print('modules', sorted(m for m in sys.modules if not m.startswith('_')))
print('socket', socket.__name__, socket.gethostname() == socket.gethostbyname(socket.gethostname()), errno.ECONNREFUSED)
print('random', random.random())
print('hash', hash('socket'), sys.flags.hash_randomization)
`;

let server: TestLabServer;
let browser: Browser;
let context: BrowserContext;
let url: string;

test.beforeAll(async ({ server: fileServer, browser: fileBrowser }) => {
  server = fileServer;
  browser = fileBrowser;
  context = await browser.newContext();
  url = `http://${LAB_HOST}:${server.port}/lab/${await server.createLab()}`;
});

afterAll(async () => {
  await context?.close();
});

/** A page of the lab that keeps every Python worker's load report. */
async function openPage(): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript((channel) => {
    const reports: unknown[] = [];
    (window as unknown as { pythonLoads: unknown[] }).pythonLoads = reports;
    new BroadcastChannel(channel).onmessage = (event) => reports.push(event.data);
  }, PYTHON_LOAD_CHANNEL);
  await page.goto(url);
  await consoleReady(page, 0);
  return page;
}

interface Run {
  /** What the program printed, random number and str hash left out. */
  output: string;
  random: string;
  hash: string;
  /** The load report of the worker that ran it: mark name -> detail. */
  steps: Map<string, unknown>;
}

/** Runs PROBE_PY in a new page (a reload, as far as the browser's storage goes), then closes the page. */
async function runProbe(): Promise<Run> {
  const page = await openPage();
  try {
    await page.evaluate((text) => window.socketLab!.files!.write('probe.py', text), PROBE_PY);
    const start = await typeCommand(page, 0, 'python probe.py');
    const shown = await textUntilPrompt(page, 0, start, TEST_MS);
    const random = /^random (.*)$/m.exec(shown)?.[1];
    assert.ok(random, shown);
    await page.waitForFunction(() => (window as unknown as { pythonLoads: unknown[] }).pythonLoads.length > 0);
    const report = await page.evaluate(() => (window as unknown as { pythonLoads: PythonLoadReport[] }).pythonLoads[0]!);
    const hash = /^hash (.*)$/m.exec(shown)?.[1] ?? '';
    return { output: shown.replace(/^(random|hash) .*\n/gm, ''), random, hash, steps: new Map(report.marks.map((m) => [m.name, m.detail])) };
  } finally {
    await page.close();
  }
}

/** Changes the stored snapshot record in the page origin's IndexedDB (its length stays right). */
async function alterSnapshot(change: 'garble the header' | 'another version' | 'garble the memory'): Promise<void> {
  const page = await openPage();
  try {
    await page.evaluate(
      async ([db, store, id, how]) => {
        const open = indexedDB.open(db!);
        const database: IDBDatabase = await new Promise((ok, fail) => ((open.onsuccess = () => ok(open.result)), (open.onerror = fail)));
        const get = database.transaction(store!).objectStore(store!).get(id!);
        const record = await new Promise<{ key: string; data: Uint8Array }>((ok) => (get.onsuccess = () => ok(get.result)));
        if (!record) throw new Error('no snapshot stored');
        if (record.data.byteLength < 8 << 20) throw new Error(`a sparse snapshot of only ${record.data.byteLength} bytes`);
        // The first stored page holds the header (web/common/python/sparse-bytes.ts); the ones after, memory.
        if (how === 'garble the header') record.data.fill(0x5a, 0, 64);
        else if (how === 'garble the memory') record.data.fill(0x5a, 1 << 20, 8 << 20);
        else record.key = record.key.replace(/pyodide \S+/, 'pyodide 0.0.0');
        const tx = database.transaction(store!, 'readwrite');
        tx.objectStore(store!).put(record, id!);
        await new Promise((ok) => (tx.oncomplete = ok));
        database.close();
      },
      [SNAPSHOT_DB_NAME, SNAPSHOT_STORE_NAME, SNAPSHOT_RECORD_ID, change] as const,
    );
  } finally {
    await page.close();
  }
}

function assertStartedFresh(run: Run): void {
  assert.equal(run.steps.get(PYTHON_LOAD_MARKS.pyodideLoaded), 'fresh');
  const stored = run.steps.get(PYTHON_LOAD_MARKS.snapshotStored);
  assert.ok(typeof stored === 'number' && stored > 1_000_000, `a snapshot was stored: ${String(stored)}`);
}

let freshRun: Run;

test('the first load starts CPython and stores a snapshot; a reload starts from it, with the same Python', { timeout: TEST_MS * 2 }, async ({ annotate }) => {
  freshRun = await runProbe();
  assert.equal(freshRun.steps.get(PYTHON_LOAD_MARKS.snapshotRead), null, 'nothing stored yet');
  assertStartedFresh(freshRun);
  assert.match(freshRun.output, /^path \['\/home\/lab', '', '\/lib\/python314\.zip'/m, freshRun.output);
  assert.match(freshRun.output, /^socket socket True 111$/m);

  const restored = await runProbe();
  assert.equal(restored.steps.get(PYTHON_LOAD_MARKS.pyodideLoaded), 'snapshot');
  assert.ok(!restored.steps.has(PYTHON_LOAD_MARKS.snapshotRejected));
  assert.equal(restored.output, freshRun.output, 'the same sys.path, folder, modules, socket module');
  assert.notEqual(restored.random, freshRun.random, 'random is seeded anew');

  const again = await runProbe();
  assert.equal(again.steps.get(PYTHON_LOAD_MARKS.pyodideLoaded), 'snapshot');
  assert.notEqual(again.random, restored.random, 'each start from the snapshot seeds random anew');
  // str hashes: CPython draws their secret at start, so the snapshot fixes it (as PYTHONHASHSEED would).
  await annotate(`hash('socket') fresh: ${freshRun.hash}; restored: ${restored.hash}; again: ${again.hash}`);
});

for (const damage of ['garble the header', 'garble the memory'] as const) {
  test(`a snapshot that cannot start Python (${damage}) is dropped: Python starts the long way and a good one replaces it`, { timeout: TEST_MS * 2 }, async () => {
    await alterSnapshot(damage);
    const rejected = await runProbe();
    // Pyodide refuses a bad header; garbled memory traps as soon as Python runs.
    assert.ok(rejected.steps.has(PYTHON_LOAD_MARKS.snapshotRejected), 'it was tried and refused');
    assertStartedFresh(rejected);
    assert.equal(rejected.output, freshRun.output);
    const next = await runProbe();
    assert.equal(next.steps.get(PYTHON_LOAD_MARKS.pyodideLoaded), 'snapshot', 'the new one is used');
  });
}

test("a snapshot of another Pyodide version is not even tried, and is replaced", { timeout: TEST_MS * 2 }, async () => {
  await alterSnapshot('another version');
  const stale = await runProbe();
  assert.equal(stale.steps.get(PYTHON_LOAD_MARKS.snapshotRead), null, 'read as no snapshot');
  assert.ok(!stale.steps.has(PYTHON_LOAD_MARKS.snapshotRejected));
  assertStartedFresh(stale);
  assert.equal(stale.output, freshRun.output);
  const next = await runProbe();
  assert.equal(next.steps.get(PYTHON_LOAD_MARKS.pyodideLoaded), 'snapshot');
});
