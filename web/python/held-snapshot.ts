// The page's copy of Pyodide's memory snapshot (pyodide-loader.ts), for the page's next Python
// workers. IndexedDB keeps the snapshot across reloads, but each worker reading it there took
// about 0.7 s of its 2.2 s load (two busy cores); the page keeps the record a worker read or
// made (about 15 MB: the sparse pages) and sends each new worker a copy as it makes it, which
// takes milliseconds. A worker whose copy could not start Python says so, and the copy goes.

import type { StoredSnapshot } from '../common/python/worker-messages.ts';

let held: StoredSnapshot | null = null;

/** The snapshot the page holds, or null. */
export function heldSnapshot(): StoredSnapshot | null {
  return held;
}

/** A worker's record to hold (null: forget the one held). */
export function holdSnapshot(snapshot: StoredSnapshot | null): void {
  held = snapshot;
}
