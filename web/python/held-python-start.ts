// What the page holds for its next Python workers, so that each starts with less work: a copy
// of Pyodide's memory snapshot (pyodide-loader.ts) and Pyodide's compiled WebAssembly module.
// Both come from the first worker that read or made them, and go to each new worker in its
// first messages (python-worker-client.ts).
//
// - The snapshot: IndexedDB keeps it across reloads, but each worker reading it there took
//   about 0.7 s of its 2.2 s load on two busy cores; a copy of the record the page holds
//   (about 15 MB: the sparse pages) takes milliseconds. A worker whose copy could not start
//   Python says so, and the copy goes.
// - The module: a WebAssembly.Module sent to a worker of the same page shares its compiled
//   code (V8 compiles a module once for all the threads of a page). Without it each worker
//   compiled Pyodide's 9.6 MB of wasm anew (and optimised its hot functions again in the
//   background), seconds of CPU each time where the browser keeps no compiled-code cache
//   (a private window's profile, as the tests' browser contexts are).

import type { StoredSnapshot } from '../common/python/worker-messages.ts';

let heldRecord: StoredSnapshot | null = null;
let heldModule: WebAssembly.Module | null = null;

/** The snapshot the page holds, or null. */
export function heldSnapshot(): StoredSnapshot | null {
  return heldRecord;
}

/** A worker's record to hold (null: forget the one held). */
export function holdSnapshot(snapshot: StoredSnapshot | null): void {
  heldRecord = snapshot;
}

/** Pyodide's compiled module, or null before a worker has compiled it. */
export function heldWasmModule(): WebAssembly.Module | null {
  return heldModule;
}

export function holdWasmModule(module: WebAssembly.Module | null): void {
  heldModule = module;
}
