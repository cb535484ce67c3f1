// Makes, at build time in Node, the memory snapshot of a freshly started Pyodide that the
// Python worker restores instead of starting CPython (web/python/pyodide-loader.ts), so that
// even a browser's first Python start skips CPython's init. Pyodide (314.0.7) allows it: the
// snapshot is the wasm memory plus a JSON list of the JS objects Python holds, and at this
// point (before anything of ours runs) that list is empty (`{"hiwireKeys":[null],...}`);
// Pyodide itself checks the build id when restoring.
//
// What a Node start writes into the memory that a browser start would not, and how it is kept
// out (each seen in os.environ, sys.executable and sys.orig_argv of a Node-made snapshot):
// - Emscripten names the program after process.argv[1] in Node ("./this.program" in a
//   browser): the argv is cut to node alone while Pyodide's module is first evaluated.
// - LANG comes from navigator.language in a browser (each student's own) and is C.UTF-8 in
//   Node: the loader passes LANG itself, so every start has the same.
// - Whether the runtime has JSPI (WebAssembly stack switching): Pyodide's C code asks once, at
//   start (its only EM_ASM constant that reads JS state, `()=>jspiSupported`), and keeps the
//   answer in memory. A snapshot made without it restores a Python whose socket calls and
//   threads fail in Chromium with "RuntimeError: WebAssembly stack switching not supported in
//   this JavaScript runtime" (seen). So the snapshot is made in a Node started with JSPI on
//   (build-pyodide.mjs runs this file so), and is refused here without it; the loader uses it
//   only in browsers that have JSPI.
//
// The file is our header, then Pyodide's snapshot:
//   u32 header bytes (a multiple of 16, so the snapshot after it stays 4-byte aligned, as
//   Pyodide reads it as 32-bit words), u32 key bytes, u32 snapshot bytes, the key (UTF-8),
//   zeros to the header's end.
// The key is what the loader's snapshotKeyOf() says; a file with another key is not restored.
import { loadPyodide, version } from 'pyodide';

/**
 * The loader's load options and snapshot key (web/python/pyodide-snapshot-store.ts: SNAPSHOT_FORMAT,
 * SNAPSHOT_ENV, snapshotKeyOf(), BUILD_SNAPSHOT_FILE); change them together. tests/browser/python-snapshot.test.ts
 * fails when they differ (the first start is then not from this file).
 */
export const SNAPSHOT_FORMAT = 2;
export const SNAPSHOT_ENV = { HOME: '/home/lab', LANG: 'C.UTF-8' };
export const snapshotKey = () => `pyodide ${version}, format ${SNAPSHOT_FORMAT}, HOME ${SNAPSHOT_ENV.HOME}, LANG ${SNAPSHOT_ENV.LANG}`;
/** The file's name beside the runtime: the format is in it, as the runtime's folder is cached for good. */
export const SNAPSHOT_FILE = `socketlab-snapshot-${SNAPSHOT_FORMAT}.bin`;
const HEADER_ALIGN_BYTES = 16;

/** The snapshot file's bytes: our header and Pyodide's snapshot. */
export async function makeSnapshotFile() {
  const argv = process.argv;
  process.argv = argv.slice(0, 1);
  let pyodide;
  try {
    pyodide = await loadPyodide({
      env: { ...SNAPSHOT_ENV },
      stdout: () => undefined,
      stderr: () => undefined,
      _makeSnapshot: true,
    });
  } finally {
    process.argv = argv;
  }
  const snapshot = pyodide.makeMemorySnapshot();
  const key = new TextEncoder().encode(snapshotKey());
  const headerBytes = Math.ceil((12 + key.byteLength) / HEADER_ALIGN_BYTES) * HEADER_ALIGN_BYTES;
  const file = new Uint8Array(headerBytes + snapshot.byteLength);
  const view = new DataView(file.buffer);
  view.setUint32(0, headerBytes, true);
  view.setUint32(4, key.byteLength, true);
  view.setUint32(8, snapshot.byteLength, true);
  file.set(key, 12);
  file.set(snapshot, headerBytes);
  return file;
}

/** The V8 flags that turn JSPI on, newest first (Node 20's V8 has the older API behind the second). */
export const JSPI_FLAGS = ['--experimental-wasm-jspi', '--experimental-wasm-stack-switching'];

// Run as a script (node JSPI_FLAG make-pyodide-snapshot.mjs OUT): writes the file to OUT.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  if (!('Suspending' in WebAssembly) && !('Suspender' in WebAssembly)) {
    console.error('make-pyodide-snapshot: this Node has no JSPI (run it with one of ' + JSPI_FLAGS.join(', ') + ')');
    process.exit(1);
  }
  const { writeFileSync } = await import('node:fs');
  writeFileSync(process.argv[2], await makeSnapshotFile());
}
