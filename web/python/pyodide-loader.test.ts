// pyodide-loader.ts as the worker build has it, through Vite's own transforms (its ?raw imports
// of our Python modules, vite.config.ts's __PYODIDE_FILE_BYTES__): the first load starts
// CPython the long way and stores a memory snapshot, the next starts from it, a snapshot that
// cannot start Python is dropped and replaced, one of another key is not even tried; our
// modules go in place; progress counts the runtime's real bytes. IndexedDB is fake-indexeddb's
// (Node has none) and fetch serves the pyodide package's own files under /pyodide/VERSION/ as
// the server does. Pyodide itself is a stand-in (a real one in Node would read its files from
// the disk, not the server) that fetches its two big files as the real one does and records
// what the loader asks of it.

import { afterEach, beforeEach, test, vi } from 'vitest';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IDBFactory } from 'fake-indexeddb';
import { loadLabPython, PYODIDE_INDEX_URL, PYODIDE_VERSION, snapshotKey, SOCKETLAB_PY_DIR } from './pyodide-loader.ts';
import { readSnapshot, writeSnapshot, type StoredSnapshot } from './pyodide-snapshot-store.ts';
import { fromSparse } from '../common/python/sparse-bytes.ts';
import { PYTHON_LOAD_CHANNEL, PYTHON_LOAD_MARKS, type PythonLoadReport } from './python-load-report.ts';
import { PYTHON_HOME } from '../common/python/worker-messages.ts';

const PYODIDE_DIR = dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));
const PY_DIR = fileURLToPath(new URL('./py/', import.meta.url));
const COUNTED_FILES = ['pyodide.asm.wasm', 'python_stdlib.zip'];

interface LoadOptions {
  indexURL: string;
  env: Record<string, string>;
  fsInit?: () => Promise<void>;
  _loadSnapshot?: Uint8Array;
  _makeSnapshot?: boolean;
}

/** What the stand-in Pyodides were asked, and how the next ones behave. */
const pyodide = {
  loads: [] as LoadOptions[],
  instances: [] as FakePyodide[],
  /** A snapshot given to loadPyodide fails to start Python (as one of another build does). */
  refuseSnapshots: false,
  /** makeMemorySnapshot throws (something Pyodide cannot serialise). */
  cannotSnapshot: false,
};

class FakePyodide {
  readonly dirs: string[] = [];
  readonly files = new Map<string, string>();
  readonly jsModules = new Map<string, object>();
  readonly python: string[] = [];
  readonly FS = {
    mkdirTree: (path: string) => void this.dirs.push(path),
    writeFile: (path: string, text: string) => void this.files.set(path, text),
  };
  /** Each instance's own heap, as a snapshot would hold it. */
  readonly memory = new Uint8Array(3 * 4096 + 100).fill(0).map((_, i) => (i % 4096 < 8 ? pyodide.instances.length + 1 : 0));

  registerJsModule(name: string, module: object): void {
    this.jsModules.set(name, module);
  }
  runPython(code: string): void {
    this.python.push(code);
  }
  makeMemorySnapshot(): Uint8Array {
    if (pyodide.cannotSnapshot) throw new Error('cannot serialise');
    return this.memory;
  }
}

async function fakeLoadPyodide(options: LoadOptions): Promise<FakePyodide> {
  pyodide.loads.push(options);
  // As the real one: its big files from indexURL, read to the end, then CPython starts.
  for (const name of COUNTED_FILES) {
    const response = await fetch(options.indexURL + name);
    assert.ok(response.ok, name);
    await response.arrayBuffer();
  }
  await options.fsInit?.();
  if (options._loadSnapshot && pyodide.refuseSnapshots) throw new Error('snapshot of another build');
  const instance = new FakePyodide();
  pyodide.instances.push(instance);
  return instance;
}

vi.mock('pyodide', async (importOriginal) => ({
  version: (await importOriginal<typeof import('pyodide')>()).version,
  loadPyodide: (options: LoadOptions) => fakeLoadPyodide(options),
}));

/** Every path fetched, in order. */
let fetched: string[] = [];

beforeEach(() => {
  // A new, empty IndexedDB for each test; the worker's page at http://lab.test.
  vi.stubGlobal('indexedDB', new IDBFactory());
  vi.stubGlobal('location', new URL('http://lab.test:8080/lab/ABCDEF'));
  // The server: the pyodide package's files under /pyodide/VERSION/.
  vi.stubGlobal('fetch', async (input: RequestInfo | URL) => {
    const path = new URL(input instanceof Request ? input.url : String(input), 'http://lab.test:8080/').pathname;
    fetched.push(path);
    const name = path.slice(PYODIDE_INDEX_URL.length);
    if (!path.startsWith(PYODIDE_INDEX_URL) || !COUNTED_FILES.includes(name)) return new Response('not found', { status: 404 });
    return new Response(readFileSync(join(PYODIDE_DIR, name)));
  });
  performance.clearMarks();
  Object.assign(pyodide, { loads: [], instances: [], refuseSnapshots: false, cannotSnapshot: false });
  fetched = [];
});
afterEach(() => void vi.unstubAllGlobals());

/** The page's side of the snapshot (held-python-start.ts): what it gives the worker, what the worker gives it. */
interface FakePage {
  given: StoredSnapshot | null;
  kept: (StoredSnapshot | null)[];
}

/** Loads Python as a worker does: what it returned, the progress it gave, and its load report. */
async function load(page?: FakePage): Promise<{ python: FakePyodide; progress: number[]; report: PythonLoadReport }> {
  const channel = new BroadcastChannel(PYTHON_LOAD_CHANNEL);
  const reported = new Promise<PythonLoadReport>((resolve) => (channel.onmessage = (event: MessageEvent<PythonLoadReport>) => resolve(event.data)));
  const progress: number[] = [];
  const pageSnapshot = page && { given: Promise.resolve(page.given), keep: (record: StoredSnapshot | null) => void page.kept.push(record) };
  try {
    const python = (await loadLabPython(CHANNEL_MODULE, THREAD_HOST, (fraction) => progress.push(fraction), pageSnapshot)) as unknown as FakePyodide;
    return { python, progress, report: await reported };
  } finally {
    channel.close();
  }
}

const CHANNEL_MODULE = { name: 'the channel module' };
const THREAD_HOST = { name: 'the thread host' };

function detailOf(report: PythonLoadReport, mark: string): unknown {
  const found = report.marks.filter((m) => m.name === mark);
  assert.ok(found.length > 0, `no ${mark} mark`);
  return found.at(-1)!.detail;
}

function assertModulesInstalled(python: FakePyodide): void {
  assert.deepEqual(python.dirs, [SOCKETLAB_PY_DIR]);
  const ours = readdirSync(PY_DIR).filter((name) => name.endsWith('.py')).sort();
  assert.deepEqual([...python.files.keys()].sort(), ours.map((name) => `${SOCKETLAB_PY_DIR}/${name}`), 'every module of web/python/py');
  for (const name of ours) assert.equal(python.files.get(`${SOCKETLAB_PY_DIR}/${name}`), readFileSync(join(PY_DIR, name), 'utf8'), name);
  assert.equal(python.jsModules.get('socketlab_channel'), CHANNEL_MODULE);
  assert.equal(python.jsModules.get('socketlab_threads'), THREAD_HOST);
  assert.equal(python.python.at(-1), `import sys\nsys.path.append("${SOCKETLAB_PY_DIR}")\nimport labruntime\nlabruntime.install()`);
}

test('Pyodide is loaded from this server, at its version', () => {
  const { version } = createRequire(import.meta.url)('pyodide/package.json') as { version: string };
  assert.equal(PYODIDE_VERSION, version);
  assert.equal(PYODIDE_INDEX_URL, `/pyodide/${version}/`);
  assert.equal(snapshotKey(), `pyodide ${version}, format 1, HOME ${PYTHON_HOME}`);
});

test('the first load starts CPython the long way, installs our modules and stores a snapshot; progress counts the real bytes', async () => {
  const { python, progress, report } = await load();
  assert.equal(pyodide.loads.length, 1);
  const [options] = pyodide.loads;
  assert.equal(options!.indexURL, PYODIDE_INDEX_URL);
  assert.deepEqual(options!.env, { HOME: PYTHON_HOME });
  assert.equal(options!._makeSnapshot, true);
  assert.equal(options!._loadSnapshot, undefined);
  assertModulesInstalled(python);
  // Each big file fetched once, early, and handed to Pyodide: no second request.
  assert.deepEqual(fetched, COUNTED_FILES.map((name) => PYODIDE_INDEX_URL + name));
  // From 0, never back, to 90 % once downloaded (the sizes are the build's), then started.
  assert.equal(progress[0], 0);
  assert.ok(progress.every((fraction, i) => i === 0 || fraction >= progress[i - 1]!), progress.join(' '));
  assert.equal(Math.max(...progress), 0.9);
  assert.ok(progress.length > 3, 'the download is counted as it arrives');
  // The snapshot is the memory of the interpreter started, stored under the key.
  assert.deepEqual(await readSnapshot(snapshotKey()), python.memory);
  assert.equal(detailOf(report, PYTHON_LOAD_MARKS.snapshotRead), null);
  assert.equal(detailOf(report, PYTHON_LOAD_MARKS.pyodideLoaded), 'fresh');
  assert.equal(detailOf(report, PYTHON_LOAD_MARKS.snapshotStored), python.memory.byteLength);
  const order = report.marks.map((m) => m.name);
  assert.deepEqual(order.filter((name) => name !== PYTHON_LOAD_MARKS.snapshotStored), [
    PYTHON_LOAD_MARKS.start,
    PYTHON_LOAD_MARKS.snapshotRead,
    PYTHON_LOAD_MARKS.wasmReady,
    PYTHON_LOAD_MARKS.pyodideLoaded,
    PYTHON_LOAD_MARKS.installed,
  ]);
});

test('the next load starts from the snapshot, reseeds random and drops the second sys.path entry, then installs our modules', async () => {
  const first = await load();
  performance.clearMarks();
  const { python, report } = await load();
  assert.equal(pyodide.loads.length, 2);
  assert.deepEqual(pyodide.loads[1]!._loadSnapshot, first.python.memory);
  assert.equal(pyodide.loads[1]!._makeSnapshot, undefined);
  assert.match(python.python[0]!, /sys\.modules\['random'\]\.seed\(\)/);
  assert.match(python.python[0]!, /if sys\.path\[:2\] == \['', ''\]: del sys\.path\[0\]/);
  assertModulesInstalled(python);
  assert.equal(detailOf(report, PYTHON_LOAD_MARKS.snapshotRead), first.python.memory.byteLength);
  assert.equal(detailOf(report, PYTHON_LOAD_MARKS.pyodideLoaded), 'snapshot');
  assert.ok(!report.marks.some((m) => m.name === PYTHON_LOAD_MARKS.snapshotStored), 'no new snapshot');
});

test('a snapshot that cannot start Python is dropped: Python starts the long way and a new snapshot replaces it', async () => {
  await load();
  pyodide.refuseSnapshots = true;
  performance.clearMarks();
  fetched = [];
  const { python, report } = await load();
  assert.equal(pyodide.loads.length, 3, 'the first load, the refused snapshot, the long way');
  assert.ok(pyodide.loads[1]!._loadSnapshot);
  assert.equal(pyodide.loads[2]!._makeSnapshot, true);
  assertModulesInstalled(python);
  assert.equal(detailOf(report, PYTHON_LOAD_MARKS.snapshotRejected), 'snapshot of another build');
  assert.equal(detailOf(report, PYTHON_LOAD_MARKS.pyodideLoaded), 'fresh');
  assert.deepEqual(await readSnapshot(snapshotKey()), python.memory, 'the new snapshot');
  // The second loadPyodide fetched its files anew.
  assert.equal(fetched.filter((path) => path.endsWith('pyodide.asm.wasm')).length, 2);
});

test('a snapshot of another Pyodide version is not even tried, and is replaced', async () => {
  const other = 'pyodide 0.26.0, format 1, HOME /home/lab';
  assert.equal(await writeSnapshot(other, new Uint8Array(4096).fill(7)), true);
  const { python, report } = await load();
  assert.equal(pyodide.loads.length, 1);
  assert.equal(pyodide.loads[0]!._loadSnapshot, undefined);
  assert.equal(detailOf(report, PYTHON_LOAD_MARKS.snapshotRead), null);
  assert.equal(await readSnapshot(other), null);
  assert.deepEqual(await readSnapshot(snapshotKey()), python.memory);
});

test('an interpreter Pyodide cannot snapshot still loads; nothing is stored', async () => {
  pyodide.cannotSnapshot = true;
  const { python, report } = await load();
  assertModulesInstalled(python);
  assert.equal(detailOf(report, PYTHON_LOAD_MARKS.snapshotStored), null);
  assert.equal(await readSnapshot(snapshotKey()), null);
});

test('without IndexedDB, Python starts the long way and no snapshot is made', async () => {
  vi.stubGlobal('indexedDB', undefined);
  const { python, report } = await load();
  assert.equal(pyodide.loads[0]!._makeSnapshot, undefined);
  assertModulesInstalled(python);
  assert.equal(detailOf(report, PYTHON_LOAD_MARKS.pyodideLoaded), 'fresh');
  assert.ok(!report.marks.some((m) => m.name === PYTHON_LOAD_MARKS.snapshotStored));
});

test("the page's copy of the snapshot: the worker that made it gives it to the page; a worker given it starts from it without reading IndexedDB", async () => {
  const page: FakePage = { given: null, kept: [] };
  const first = await load(page);
  assert.equal(page.kept.length, 1, 'the one made');
  assert.equal(page.kept[0]!.key, snapshotKey());
  assert.deepEqual(fromSparse(page.kept[0]!), first.python.memory);
  // IndexedDB now holds another: a worker given the page's copy starts from the copy.
  assert.equal(await writeSnapshot(snapshotKey(), new Uint8Array(4096).fill(9)), true);
  performance.clearMarks();
  const next: FakePage = { given: page.kept[0]!, kept: [] };
  const { report } = await load(next);
  assert.deepEqual(pyodide.loads[1]!._loadSnapshot, first.python.memory);
  assert.deepEqual(next.kept, [], 'the page has it already');
  assert.equal(detailOf(report, PYTHON_LOAD_MARKS.snapshotRead), first.python.memory.byteLength);
  assert.equal(detailOf(report, PYTHON_LOAD_MARKS.pyodideLoaded), 'snapshot');
});

test("a worker given no copy reads IndexedDB and gives the page what it read; a copy of another key is not used", async () => {
  const made = await load();
  performance.clearMarks();
  const stale: StoredSnapshot = { key: 'pyodide 0.26.0, format 1, HOME /home/lab', byteLength: 4096, pages: Uint32Array.of(0), data: new Uint8Array(4096).fill(7) };
  const page: FakePage = { given: stale, kept: [] };
  await load(page);
  assert.deepEqual(pyodide.loads[1]!._loadSnapshot, made.python.memory, "IndexedDB's, not the stale copy");
  assert.equal(page.kept.length, 1);
  assert.deepEqual(fromSparse(page.kept[0]!), made.python.memory);
});

test("a page's copy that cannot start Python: the page is told to drop it, and is given the new one", async () => {
  const page: FakePage = { given: null, kept: [] };
  await load(page);
  pyodide.refuseSnapshots = true;
  performance.clearMarks();
  const next: FakePage = { given: page.kept[0]!, kept: [] };
  const { python } = await load(next);
  assert.equal(next.kept.length, 2);
  assert.equal(next.kept[0], null, 'dropped');
  assert.deepEqual(fromSparse(next.kept[1]!), python.memory, 'the new one');
  assert.deepEqual(await readSnapshot(snapshotKey()), python.memory);
});
