// What the page and a Python worker say to each other (postMessage). A worker starts loading
// Pyodide as soon as it exists (the page's first message is the snapshot it holds), reports progress, says `ready`, then runs one program when
// asked and says how it ended; it is never reused (a spare one is loaded for the next run).
// Socket calls, typed lines and Ctrl-C do not pass through the page: the worker asks the lab
// server itself over the program's synchronous channel (shared/sync-protocol.ts).

import type { SparseBytes } from './sparse-bytes.ts';
import type { WireEvent } from './wire-recorder.ts';

/** The device's files are written here; it is the program's working directory. */
export const PYTHON_HOME = '/home/lab';

export interface RunRequest {
  t: 'run';
  /** The program's channel on the lab server: /api/sync/CHANNEL. */
  syncUrl: string;
  pid: number;
  /** socket.gethostname(): the device's lab address, which every device can resolve. */
  hostname: string;
  /** The device's files by name, written into PYTHON_HOME. */
  files: Readonly<Record<string, string>>;
  /** The file to run, in PYTHON_HOME; null for the interactive >>> prompt. */
  script: string | null;
  /** sys.argv, argv[0] as typed (['basic_server.py'], or [''] at the prompt). */
  argv: readonly string[];
}

/** A memory snapshot of a freshly started Pyodide, sparse, as IndexedDB keeps it (web/python/pyodide-snapshot-store.ts). */
export interface StoredSnapshot extends SparseBytes {
  /** What the snapshot was made from (pyodide-loader.ts's snapshotKey()); another key is stale. */
  key: string;
}

/**
 * The page's copy of the snapshot, sent to each worker as it is made (null: the page has
 * none, the worker reads IndexedDB); a worker sends back the one it read or made (null: the
 * one it was given could not start Python), for the page to hold (web/python/held-python-start.ts).
 */
export interface SnapshotMessage {
  t: 'snapshot';
  snapshot: StoredSnapshot | null;
}

/**
 * Pyodide's compiled WebAssembly.Module (typed `object` here: the type is the DOM lib's): the
 * page's, sent to each worker after the snapshot (null: none yet, the worker compiles it); a
 * worker that compiled it sends it to the page (web/python/held-python-start.ts).
 */
export interface WasmModuleMessage {
  t: 'wasm';
  module: object | null;
}

export type PageToWorker = RunRequest | SnapshotMessage | WasmModuleMessage;

export type WorkerToPage =
  /** Loading: fraction from 0 to 1 (downloading is most of it on a slow network). */
  | { t: 'progress'; fraction: number }
  | { t: 'ready'; version: string; loadMs: number }
  | SnapshotMessage
  | WasmModuleMessage
  /** Bytes the program wrote, in the order written (stdout is line-buffered, as on a tty). */
  | { t: 'output'; stream: 'stdout' | 'stderr'; bytes: Uint8Array }
  /** The program waits for a typed line (input(), sys.stdin): the page reads one and sends it. */
  | { t: 'input' }
  /** Ctrl-C reached the program (it raises KeyboardInterrupt): it need not be ended by force. */
  | { t: 'interrupted' }
  | { t: 'exit'; status: number }
  /** The program's socket call returned: a line for the console's wire view. */
  | { t: 'wire'; event: WireEvent }
  /** Python could not be loaded, or the worker failed (not the program: that is `exit`). */
  | { t: 'failed'; message: string };
