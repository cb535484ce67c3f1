// How a Python worker's loading went, step by step: each step leaves a performance mark in the
// worker (PYTHON_LOAD_MARKS), and once loaded the worker posts the marks on a broadcast
// channel (PYTHON_LOAD_CHANNEL) as a PythonLoadReport. The bench reads the breakdown from it
// and tests read which way Python was started. A broadcast, because nobody can ask a worker
// later: at the >>> prompt its thread is blocked in a synchronous request. It touches no page
// element and the bench (in Node) imports the names too, but BroadcastChannel and performance
// marks are typed by the DOM lib, so it stays out of web/common.

/** Marks left in the worker's performance timeline, in the order they happen. */
export const PYTHON_LOAD_MARKS = {
  start: 'socketlab:python:start',
  /** The stored snapshot was read (detail: its size in bytes, or null when there was none). */
  snapshotRead: 'socketlab:python:snapshot-read',
  /** Pyodide's wasm is compiled and instantiated, its files are fetched: CPython starts next
   * (or its memory is restored). The last attempt's, if a snapshot was refused. */
  wasmReady: 'socketlab:python:wasm-ready',
  /** loadPyodide returned (detail: 'snapshot' or 'fresh'). */
  pyodideLoaded: 'socketlab:python:pyodide-loaded',
  /** A stored snapshot could not start Python and was dropped (detail: why). */
  snapshotRejected: 'socketlab:python:snapshot-rejected',
  /** A snapshot was made and stored (detail: its size in bytes, or null if storing failed). */
  snapshotStored: 'socketlab:python:snapshot-stored',
  /** Our modules are installed: Python is ready. */
  installed: 'socketlab:python:installed',
} as const;

const MARK_PREFIX = 'socketlab:python:';

/** The BroadcastChannel a worker's PythonLoadReport goes to once it is loaded. */
export const PYTHON_LOAD_CHANNEL = 'socketlab-python-load';

export interface PythonLoadReport {
  /** The worker's performance.timeOrigin: a mark's startTime plus this is comparable across threads. */
  timeOrigin: number;
  marks: { name: string; startTime: number; detail: unknown }[];
}

export function markLoadStep(name: string, detail?: unknown): void {
  performance.mark(name, { detail });
}

/** Posts this worker's marks (no-op where there is no BroadcastChannel). */
export function reportLoad(): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const marks = performance.getEntriesByType('mark').filter((m) => m.name.startsWith(MARK_PREFIX));
  const report: PythonLoadReport = {
    timeOrigin: performance.timeOrigin,
    marks: marks.map((m) => ({ name: m.name, startTime: m.startTime, detail: (m as PerformanceMark).detail ?? null })),
  };
  const channel = new BroadcastChannel(PYTHON_LOAD_CHANNEL);
  channel.postMessage(report);
  channel.close();
}
