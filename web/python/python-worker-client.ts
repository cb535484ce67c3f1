// The page's handle on one Python worker: its loading (progress, ready or failed), its
// messages, and its end. Workers are one-shot: one loads, runs one program, and is ended.

import { Emitter, type Disposer } from '../../shared/emitter.ts';
import { pythonWorkerName } from './channel-choice.ts';
import { heldSnapshot, heldWasmModule, holdSnapshot, holdWasmModule } from './held-python-start.ts';
import type { RunRequest, SnapshotMessage, WasmModuleMessage, WorkerToPage } from '../common/python/worker-messages.ts';

export type WorkerFactory = () => Worker;

/** A module worker (Pyodide 314 needs one); Vite builds python-worker.ts as its own file. Its
 * name carries the page URL's choice of channel (channel-choice.ts). */
export const createPythonWorker: WorkerFactory = () =>
  new Worker(new URL('./python-worker.ts', import.meta.url), { type: 'module', name: pythonWorkerName(location.search) });

export class PythonWorkerClient {
  /** Resolves once Pyodide is loaded; rejects with why it could not be. */
  readonly ready: Promise<void>;
  private loaded = false;
  private ended = false;
  private latestFraction = 0;
  private readonly worker: Worker;
  private readonly progress = new Emitter<number>();
  private readonly messages = new Emitter<WorkerToPage>();

  constructor(factory: WorkerFactory = createPythonWorker) {
    this.worker = factory();
    // First, before it needs them: the snapshot and compiled module this page holds, so that
    // it need not read IndexedDB nor compile Pyodide (held-python-start.ts).
    const snapshot: SnapshotMessage = { t: 'snapshot', snapshot: heldSnapshot() };
    const wasm: WasmModuleMessage = { t: 'wasm', module: heldWasmModule() };
    this.worker.postMessage(snapshot);
    this.worker.postMessage(wasm);
    this.ready = new Promise<void>((resolve, reject) => {
      this.worker.addEventListener('message', (event: MessageEvent<WorkerToPage>) => {
        const message = event.data;
        if (message.t === 'progress') {
          this.latestFraction = message.fraction;
          this.progress.emit(message.fraction);
        } else if (message.t === 'ready') {
          this.loaded = true;
          resolve();
        } else if (message.t === 'snapshot') {
          holdSnapshot(message.snapshot);
          return;
        } else if (message.t === 'wasm') {
          holdWasmModule(message.module as WebAssembly.Module | null);
          return;
        } else if (message.t === 'failed' && !this.loaded) {
          reject(new Error(message.message));
        }
        this.messages.emit(message);
      });
      this.worker.addEventListener('error', (event) => {
        const failure = new Error(`the Python worker failed: ${event.message || 'it could not start'}`);
        if (!this.loaded) reject(failure);
        this.messages.emit({ t: 'failed', message: failure.message });
      });
    });
    this.ready.catch(() => undefined); // whoever waits on it sees the failure; no unhandled rejection
  }

  get isReady(): boolean {
    return this.loaded;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** How far loading has got, 0 to 1. */
  get fraction(): number {
    return this.loaded ? 1 : this.latestFraction;
  }

  onProgress(listener: (fraction: number) => void): Disposer {
    return this.progress.on(listener);
  }

  onMessage(listener: (message: WorkerToPage) => void): Disposer {
    return this.messages.on(listener);
  }

  run(request: RunRequest): void {
    this.worker.postMessage(request);
  }

  /** Ends the worker at once, wherever its program is (a C loop Ctrl-C cannot reach, say). */
  terminate(): void {
    if (this.ended) return;
    this.ended = true;
    this.worker.terminate();
    this.progress.clear();
    this.messages.clear();
  }
}
