// One loaded, idle Python worker kept for the page's next run: loading Pyodide takes seconds,
// so once a program has run, the next `python` starts at once. Shared by every console of
// the page; only one spare is kept (each is tens of megabytes).

import { createPythonWorker, PythonWorkerClient, type WorkerFactory } from './python-worker-client.ts';

let spare: PythonWorkerClient | null = null;
let factory: WorkerFactory = createPythonWorker;

/** The spare if there is one (loaded or loading), else a new worker. */
export function takePythonWorker(): PythonWorkerClient {
  const worker = spare ?? new PythonWorkerClient(factory);
  spare = null;
  return worker;
}

/** Starts loading a spare if none is kept. */
export function keepSparePythonWorker(): void {
  if (spare) return;
  const worker = new PythonWorkerClient(factory);
  spare = worker;
  worker.ready.catch(() => {
    if (spare === worker) spare = null;
    worker.terminate();
  });
}

/** A worker that was never given a program (Ctrl-C while it loaded) becomes the spare. */
export function returnUnusedPythonWorker(worker: PythonWorkerClient): void {
  if (!spare && !worker.isEnded) spare = worker;
  else if (spare !== worker) worker.terminate();
}

/** Tests: workers from another factory; the spare is dropped. */
export function setPythonWorkerFactory(next: WorkerFactory): void {
  spare?.terminate();
  spare = null;
  factory = next;
}
