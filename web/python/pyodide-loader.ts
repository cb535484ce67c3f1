// Loads Pyodide in the Python worker, from this server only (never a CDN), with progress, and
// puts Socket Lab's Python modules in place (labruntime.install()).
//
// Starting CPython (its init and Pyodide's own Python bootstrap) is most of a load once the
// files are in the browser's cache, so the first worker that starts it the long way also
// takes a memory snapshot of the interpreter just started (Pyodide's _makeSnapshot) and keeps
// it in IndexedDB (pyodide-snapshot-store.ts); later workers, in this page or after a reload,
// restore that memory instead of starting CPython. The snapshot is cut before anything of
// ours runs: it holds no JS object of ours, no module of ours and no program's state, only
// what every fresh Pyodide of this build and these options holds, so it cannot go stale with
// our Python files. A snapshot that fails to start Python is dropped and Python starts the
// long way, making a new one. The page holds a copy of the snapshot once a worker has read or
// made it, and Pyodide's compiled WebAssembly module once a worker has compiled it
// (held-python-start.ts), and gives both to each new worker: no IndexedDB read of 15 MB, no
// new compile of 9.6 MB of wasm (shared-wasm-module.ts).
//
// Each step is marked, and reported once loaded (python-load-report.ts).

/// <reference types="vite/client" />

import { loadPyodide, version as PYODIDE_VERSION, type PyodideAPI } from 'pyodide';
import { CountedFetches } from './counted-fetches.ts';
import { withWasmModule } from './shared-wasm-module.ts';
import { dropSnapshot, packSnapshot, readStoredSnapshot, unpackSnapshot, writeSnapshotRecord, type StoredSnapshot } from './pyodide-snapshot-store.ts';
import { markLoadStep, PYTHON_LOAD_MARKS, reportLoad } from './python-load-report.ts';
import { PYTHON_HOME } from '../common/python/worker-messages.ts';
import labasyncioPy from './py/labasyncio.py?raw';
import labchannelPy from './py/labchannel.py?raw';
import labmainPy from './py/labmain.py?raw';
import labruntimePy from './py/labruntime.py?raw';
import labselectPy from './py/labselect.py?raw';
import labsocketPy from './py/labsocket.py?raw';
import labsocketIoPy from './py/labsocket_io.py?raw';
import labsocketNamesPy from './py/labsocket_names.py?raw';
import labthreadPy from './py/labthread.py?raw';
import linuxErrnoPy from './py/linux_errno.py?raw';

/** Each big file's size uncompressed (what a reader counts), from vite.config.ts. */
declare const __PYODIDE_FILE_BYTES__: Record<string, number>;

/** Where the server serves the runtime (scripts/build-pyodide.mjs, server/http/web-plugin.ts). */
export const PYODIDE_INDEX_URL = `/pyodide/${PYODIDE_VERSION}/`;
export { PYODIDE_VERSION };
/** Our Python modules' folder: labmain leaves frames of files in it out of tracebacks. */
export const SOCKETLAB_PY_DIR = '/opt/socketlab';
/** The share of the progress bar that downloading is; starting Python is the rest. */
const DOWNLOAD_SHARE = 0.9;
/** The files whose bytes the progress bar counts. */
const COUNTED_FILES = ['pyodide.asm.wasm', 'python_stdlib.zip'];

/**
 * What a snapshot depends on besides Pyodide's build (which Pyodide checks itself): the
 * options given to loadPyodide below. Change SNAPSHOT_FORMAT when they change.
 */
const SNAPSHOT_FORMAT = 1;
export function snapshotKey(): string {
  return `pyodide ${PYODIDE_VERSION}, format ${SNAPSHOT_FORMAT}, HOME ${PYTHON_HOME}`;
}

const MODULES: Readonly<Record<string, string>> = {
  'labasyncio.py': labasyncioPy,
  'labchannel.py': labchannelPy,
  'labmain.py': labmainPy,
  'labruntime.py': labruntimePy,
  'labselect.py': labselectPy,
  'labsocket.py': labsocketPy,
  'labsocket_io.py': labsocketIoPy,
  'labsocket_names.py': labsocketNamesPy,
  'labthread.py': labthreadPy,
  'linux_errno.py': linuxErrnoPy,
};

type SnapshotOption = { _loadSnapshot: Uint8Array } | { _makeSnapshot: true } | Record<string, never>;

/** Pyodide's files, requested before loadPyodide asks for them (see CountedFetches). */
function fetchEarly(onProgress: (fraction: number) => void): CountedFetches {
  const total = COUNTED_FILES.reduce((sum, name) => sum + (__PYODIDE_FILE_BYTES__[name] ?? 0), 0);
  let loaded = 0;
  const files = new CountedFetches(
    COUNTED_FILES.map((name) => PYODIDE_INDEX_URL + name),
    (bytes) => {
      loaded += bytes;
      if (total > 0) onProgress(Math.min(1, loaded / total) * DOWNLOAD_SHARE);
    },
  );
  // Pyodide imports its JS glue itself; importing it now only starts that sooner (same module).
  import(/* @vite-ignore */ `${PYODIDE_INDEX_URL}pyodide.asm.mjs`).catch(() => undefined);
  return files;
}

function startPyodide(files: CountedFetches, snapshot: SnapshotOption, onProgress: (fraction: number) => void, wasm: PageWasm): Promise<PyodideAPI> {
  return files.during(() => withWasmModule(wasm.module, wasm.compiled, async () => {
    const pyodide = await loadPyodide({
      indexURL: PYODIDE_INDEX_URL,
      env: { HOME: PYTHON_HOME },
      // Nothing is printed while loading; the program's streams are set when it runs.
      stdout: () => undefined,
      stderr: () => undefined,
      // Called once the wasm is instantiated, before CPython starts: a step of the report.
      fsInit: async () => markLoadStep(PYTHON_LOAD_MARKS.wasmReady),
      ...snapshot,
    });
    onProgress(DOWNLOAD_SHARE);
    return pyodide;
  }));
}

/**
 * What a restored interpreter must not share with the one the snapshot was made from (nor
 * with every other worker restored from it): the `random` module, which Pyodide's bootstrap
 * already imported, would give every program the same numbers, so it is seeded anew from the
 * OS's entropy as its import does. And loadPyodide's last step, done twice (when the snapshot
 * was made, and now), puts a second '' at the front of sys.path: one goes.
 */
const AFTER_RESTORE_PY = `import sys
if 'random' in sys.modules: sys.modules['random'].seed()
if sys.path[:2] == ['', '']: del sys.path[0]`;

/** Starts CPython from the stored snapshot's memory. */
async function startFromSnapshot(files: CountedFetches, bytes: Uint8Array, onProgress: (fraction: number) => void, wasm: PageWasm): Promise<PyodideAPI> {
  const pyodide = await startPyodide(files, { _loadSnapshot: bytes }, onProgress, wasm);
  pyodide.runPython(AFTER_RESTORE_PY);
  markLoadStep(PYTHON_LOAD_MARKS.pyodideLoaded, 'snapshot');
  return pyodide;
}

/**
 * Starts CPython the long way and begins storing a snapshot of it for the next workers:
 * `stored` resolves once it is committed. It must be awaited before Python is ready, since a
 * program may then keep this worker's thread busy for good (a store left running then was seen
 * to be lost); meanwhile our modules are installed.
 */
async function startFresh(
  files: CountedFetches,
  onProgress: (fraction: number) => void,
  page: HeldByPage,
  wasm: PageWasm,
): Promise<{ pyodide: PyodideAPI; stored: Promise<void> }> {
  const storable = typeof indexedDB !== 'undefined';
  const pyodide = await startPyodide(files, storable ? { _makeSnapshot: true } : {}, onProgress, wasm);
  markLoadStep(PYTHON_LOAD_MARKS.pyodideLoaded, 'fresh');
  if (!storable) return { pyodide, stored: Promise.resolve() };
  let snapshot: Uint8Array;
  try {
    snapshot = pyodide.makeMemorySnapshot();
  } catch {
    // Something Pyodide cannot serialise: no snapshot, the next load is the long way too.
    markLoadStep(PYTHON_LOAD_MARKS.snapshotStored, null);
    return { pyodide, stored: Promise.resolve() };
  }
  const record = packSnapshot(snapshotKey(), snapshot);
  page.keep(record);
  const stored = writeSnapshotRecord(record).then((ok) => markLoadStep(PYTHON_LOAD_MARKS.snapshotStored, ok ? snapshot.byteLength : null));
  return { pyodide, stored };
}

/** Puts our modules in place: labruntime.install() (socket, select, errno, input, sleep). */
function installLabModules(pyodide: PyodideAPI, channelModule: object, threadHost: object): PyodideAPI {
  pyodide.FS.mkdirTree(SOCKETLAB_PY_DIR);
  for (const [name, text] of Object.entries(MODULES)) pyodide.FS.writeFile(`${SOCKETLAB_PY_DIR}/${name}`, text);
  pyodide.registerJsModule('socketlab_channel', channelModule);
  pyodide.registerJsModule('socketlab_threads', threadHost);
  pyodide.runPython(`import sys\nsys.path.append(${JSON.stringify(SOCKETLAB_PY_DIR)})\nimport labruntime\nlabruntime.install()`);
  markLoadStep(PYTHON_LOAD_MARKS.installed);
  return pyodide;
}

/** What the page holds for its workers (held-python-start.ts): what it gave this worker, and where what this worker read or made goes. */
export interface HeldByPage {
  /** The page's copy of the snapshot, or null when it holds none (then IndexedDB is read). */
  given: Promise<StoredSnapshot | null>;
  /** Gives the page the record this worker read or made (null: drop the page's copy, it could not start Python). */
  keep(record: StoredSnapshot | null): void;
  /** The page's compiled Pyodide module, or null when no worker has compiled it yet. */
  wasm?: Promise<WebAssembly.Module | null>;
  /** Gives the page the module this worker compiled. */
  keepWasm?(module: WebAssembly.Module): void;
}

/** The module to instantiate (or null: compile it) and where a compiled one goes. */
interface PageWasm {
  module: WebAssembly.Module | null;
  compiled(module: WebAssembly.Module): void;
}

const NOTHING_HELD: HeldByPage = { given: Promise.resolve(null), keep: () => undefined };

/** The snapshot's bytes: the page's copy if it has one of this key, else IndexedDB's (then given to the page). */
async function findSnapshot(page: HeldByPage): Promise<Uint8Array | null> {
  const key = snapshotKey();
  const given = unpackSnapshot(await page.given, key);
  if (given) return given;
  const record = await readStoredSnapshot();
  const stored = unpackSnapshot(record, key);
  if (stored) page.keep(record as StoredSnapshot);
  return stored;
}

/**
 * Loads Pyodide with the `socketlab_channel` and `socketlab_threads` JS modules registered
 * (labchannel and labthread import them) and our modules installed. onProgress gets
 * fractions from 0 to 1. `page` is what the page holds: its copy of the snapshot and its compiled module (nothing, in tests that give none).
 */
export async function loadLabPython(
  channelModule: object,
  threadHost: object,
  onProgress: (fraction: number) => void,
  page: HeldByPage = NOTHING_HELD,
): Promise<PyodideAPI> {
  markLoadStep(PYTHON_LOAD_MARKS.start);
  onProgress(0);
  const files = fetchEarly(onProgress);
  const snapshot = await findSnapshot(page);
  markLoadStep(PYTHON_LOAD_MARKS.snapshotRead, snapshot?.byteLength ?? null);
  const wasm: PageWasm = { module: (await page.wasm) ?? null, compiled: (module) => page.keepWasm?.(module) };
  let pyodide: PyodideAPI | null = null;
  if (snapshot) {
    try {
      pyodide = installLabModules(await startFromSnapshot(files, snapshot, onProgress, wasm), channelModule, threadHost);
    } catch (err) {
      // Whatever failed (a snapshot of another build, a broken record), the long way works.
      markLoadStep(PYTHON_LOAD_MARKS.snapshotRejected, err instanceof Error ? err.message : String(err));
      page.keep(null);
      await dropSnapshot();
    }
  }
  if (!pyodide) {
    const fresh = await startFresh(files, onProgress, page, wasm);
    pyodide = installLabModules(fresh.pyodide, channelModule, threadHost);
    await fresh.stored;
  }
  reportLoad();
  return pyodide;
}
