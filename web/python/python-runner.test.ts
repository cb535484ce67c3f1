// The page's side of a Python run, with a fake worker and a fake session: what the worker is
// asked to run, output, one typed line per request, Ctrl-C (heeded, or not: the worker is
// ended), kill, Ctrl-C while loading (the worker becomes the spare), and the process's exit.

import { afterEach, onTestFinished, test, vi } from 'vitest';
import assert from 'node:assert/strict';
import type { Call } from '../../shared/bridge-protocol.ts';
import type { ConsoleIO } from '../common/programs/program-runner.ts';
import { INTERRUPT_GRACE_MS, SPARE_LOAD_DELAY_MS, startPython, type PythonSession } from './python-runner.ts';
import { setPythonWorkerFactory, takePythonWorker } from './spare-python-worker.ts';
import { heldSnapshot, heldWasmModule, holdSnapshot, holdWasmModule } from './held-python-start.ts';
import type { PageToWorker, RunRequest, StoredSnapshot, WorkerToPage } from '../common/python/worker-messages.ts';

class FakeWorker {
  /** The programs it was asked to run. */
  readonly posted: RunRequest[] = [];
  /** The snapshot the page gave it (its first message). */
  given: (StoredSnapshot | null)[] = [];
  /** The compiled module the page gave it. */
  modules: (object | null)[] = [];
  terminated = false;
  private readonly listeners: ((event: { data: WorkerToPage }) => void)[] = [];
  addEventListener(type: string, listener: (event: { data: WorkerToPage }) => void): void {
    if (type === 'message') this.listeners.push(listener);
  }
  postMessage(message: PageToWorker): void {
    if (message.t === 'run') this.posted.push(message);
    else if (message.t === 'snapshot') this.given.push(message.snapshot);
    else this.modules.push(message.module);
  }
  terminate(): void {
    this.terminated = true;
  }
  say(message: WorkerToPage): void {
    for (const listener of this.listeners) listener({ data: message });
  }
}

let workers: FakeWorker[] = [];
function useFakeWorkers(): void {
  setPythonWorkerFactory(() => {
    const worker = new FakeWorker();
    workers.push(worker);
    return worker as unknown as Worker;
  });
}
useFakeWorkers();
afterEach(() => {
  useFakeWorkers(); // drops the spare a test left
  workers = [];
  holdSnapshot(null);
  holdWasmModule(null);
});

function fakeSession() {
  const calls: Call[] = [];
  const killListeners = new Set<(pid: number) => void>();
  const session = {
    welcome: { lab: 'ABC234', device: { id: 1, address: '10.1.0.2' } },
    call: async (call: Call) => {
      calls.push(call);
      return call.op === 'spawn' ? { pid: 1042, channel: 'TOKEN' } : null;
    },
    onKill: (listener: (pid: number) => void) => {
      killListeners.add(listener);
      return () => killListeners.delete(listener);
    },
    onClose: () => () => undefined,
  } as unknown as PythonSession;
  return { session, calls, kill: (pid: number) => killListeners.forEach((l) => l(pid)) };
}

function fakeConsole() {
  let written = '';
  const typed: string[] = [];
  const waiting: ((line: string | null) => void)[] = [];
  const io: ConsoleIO = {
    write: (text) => (written += text),
    readLine: (signal) =>
      new Promise((resolve, reject) => {
        const line = typed.shift();
        if (line !== undefined) return resolve(line);
        waiting.push(resolve);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
  };
  return { io, text: () => written, type: (line: string) => (waiting.length ? waiting.shift()!(line) : typed.push(line)) };
}

// Lets the promise chains settle; not a timer, so it works under fake timers too.
const tick = () => new Promise((resolve) => setImmediate(resolve));
const encode = (text: string) => new TextEncoder().encode(text);

test('runs the file in a loaded worker: output, a typed line when asked, exit', async () => {
  const { session, calls } = fakeSession();
  const screen = fakeConsole();
  const progress: number[] = [];
  let loaded = false;
  const running = await startPython(session, screen.io, {
    argv: ['basic_client.py', 'x'],
    files: { 'basic_client.py': 'import socket\n' },
    onProgress: (fraction) => progress.push(fraction),
    onLoaded: () => (loaded = true),
  });
  assert.equal(running.pid, 1042);
  assert.deepEqual(calls[0], { op: 'spawn', name: 'python', argv: ['basic_client.py', 'x'] });
  const worker = workers[0]!;
  worker.say({ t: 'progress', fraction: 0.5 });
  worker.say({ t: 'ready', version: '314.0.7', loadMs: 900 });
  await tick();
  assert.deepEqual(progress, [0, 0.5]);
  assert.ok(loaded);
  assert.deepEqual(worker.posted, [
    {
      t: 'run',
      syncUrl: '/api/sync/TOKEN?lab=ABC234',
      pid: 1042,
      hostname: '10.1.0.2',
      files: { 'basic_client.py': 'import socket\n' },
      script: 'basic_client.py',
      argv: ['basic_client.py', 'x'],
    },
  ]);
  assert.equal(workers.length, 1, 'no spare yet: the program is starting');
  // UTF-8 split between two writes is decoded whole.
  const bytes = encode('Enter IPv4 address of server: é');
  worker.say({ t: 'output', stream: 'stdout', bytes: bytes.subarray(0, bytes.length - 1) });
  worker.say({ t: 'output', stream: 'stdout', bytes: bytes.subarray(bytes.length - 1) });
  worker.say({ t: 'input' });
  assert.equal(workers.length, 2, 'the program waits for a line: a spare starts loading for the next run');
  screen.type('127.0.0.1');
  await tick();
  assert.deepEqual(calls.at(-1), { op: 'stdin', pid: 1042, line: '127.0.0.1' });
  worker.say({ t: 'exit', status: 0 });
  await running.done;
  assert.equal(workers.length, 2, 'one spare only');
  assert.equal(screen.text(), 'Enter IPv4 address of server: é');
  assert.deepEqual(calls.at(-1), { op: 'exit', pid: 1042 });
  assert.ok(worker.terminated, 'a worker runs one program');
  assert.ok(!workers[1]!.terminated, 'the spare stays');
});

test('a program that neither waits for a line nor returns from a socket call: the spare starts after SPARE_LOAD_DELAY_MS', async () => {
  const { session } = fakeSession();
  const screen = fakeConsole();
  const running = await startPython(session, screen.io, { argv: ['server.py'], files: { 'server.py': '' } });
  const worker = workers.at(-1)!;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    worker.say({ t: 'ready', version: '314.0.7', loadMs: 1 });
    await new Promise((resolve) => setImmediate(resolve)); // the run begins on the ready promise
    assert.equal(worker.posted.length, 1, 'the program was started');
    vi.advanceTimersByTime(SPARE_LOAD_DELAY_MS - 1);
    assert.equal(workers.length, 1);
    vi.advanceTimersByTime(1);
    assert.equal(workers.length, 2, 'the spare starts loading');
  } finally {
    vi.useRealTimers();
  }
  worker.say({ t: 'exit', status: 0 });
  await running.done;
  assert.equal(workers.length, 2, 'one spare only');
});

test('Ctrl-C: the interrupt call; a program that does not stop is ended after the grace period', async () => {
  const { session, calls } = fakeSession();
  const screen = fakeConsole();
  const running = await startPython(session, screen.io, { argv: ['busy.py'], files: { 'busy.py': '' } });
  const worker = workers.at(-1)!;
  worker.say({ t: 'ready', version: '314.0.7', loadMs: 1 });
  await tick();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  onTestFinished(() => void vi.useRealTimers());
  running.interrupt();
  await tick();
  assert.deepEqual(calls.at(-1), { op: 'interrupt', pid: 1042 });
  worker.say({ t: 'interrupted' }); // it heeded this one (a >>> prompt goes on)
  vi.advanceTimersByTime(INTERRUPT_GRACE_MS + 100);
  assert.ok(!worker.terminated);
  running.interrupt(); // this one it does not heed
  vi.advanceTimersByTime(INTERRUPT_GRACE_MS - 1);
  assert.ok(!worker.terminated, 'it has the whole grace period');
  vi.advanceTimersByTime(1);
  await running.done;
  assert.ok(worker.terminated);
  assert.equal(screen.text(), 'KeyboardInterrupt\n');
  assert.deepEqual(calls.at(-1), { op: 'exit', pid: 1042 });
});

test("'started' waits for Python's load (a check's step limits count from there), and comes at an end while loading too", async () => {
  const { session } = fakeSession();
  const screen = fakeConsole();
  const running = await startPython(session, screen.io, { argv: ['x.py'], files: { 'x.py': '' } });
  let started = false;
  void running.started.then(() => (started = true));
  await tick();
  assert.ok(!started, 'still loading');
  const worker = workers.at(-1)!;
  worker.say({ t: 'ready', version: '314.0.7', loadMs: 900 });
  await tick();
  assert.ok(started, 'the program runs');
  assert.equal(worker.posted.length, 1);
  worker.say({ t: 'exit', status: 0 });
  await running.done;

  const stopped = await startPython(session, screen.io, { argv: ['x.py'], files: { 'x.py': '' } });
  stopped.interrupt();
  await stopped.started; // ended while loading: resolves rather than waiting for ever
  await stopped.done;
});

test('Ctrl-C while Python loads: KeyboardInterrupt at once, and the loading worker is kept as the spare', async () => {
  const { session } = fakeSession();
  const screen = fakeConsole();
  const running = await startPython(session, screen.io, { argv: [], files: {} });
  const worker = workers.at(-1)!;
  running.interrupt();
  await running.done;
  assert.equal(screen.text(), 'KeyboardInterrupt\n');
  assert.ok(!worker.terminated);
  const made = workers.length;
  takePythonWorker();
  assert.equal(workers.length, made, 'the next run takes it: no new worker');
});

test('kill PID ends it without a word; a missing file is refused before anything starts', async () => {
  const { session, calls, kill } = fakeSession();
  const screen = fakeConsole();
  const running = await startPython(session, screen.io, { argv: ['server.py'], files: { 'server.py': '' } });
  const worker = workers.at(-1)!;
  worker.say({ t: 'ready', version: '314.0.7', loadMs: 1 });
  await tick();
  kill(1042);
  await running.done;
  assert.ok(worker.terminated);
  assert.equal(screen.text(), '');
  const before = calls.length;
  await assert.rejects(startPython(session, screen.io, { argv: ['nope.py'], files: {} }), /can't open file '\/home\/lab\/nope.py'/);
  assert.equal(calls.length, before);
});

test("each new worker is given the page's copy of the snapshot first; the copy is the one a worker read or made, and goes when one could not start from it", () => {
  const snapshot: StoredSnapshot = { key: 'pyodide test', byteLength: 8192, pages: Uint32Array.of(1), data: new Uint8Array(4096).fill(3) };
  const first = takePythonWorker();
  assert.deepEqual(workers[0]!.given, [null], 'the page holds none yet: the worker reads IndexedDB');
  workers[0]!.say({ t: 'snapshot', snapshot });
  assert.equal(heldSnapshot(), snapshot);
  const second = takePythonWorker();
  assert.deepEqual(workers[1]!.given, [snapshot], 'before anything else');
  workers[1]!.say({ t: 'snapshot', snapshot: null });
  assert.equal(heldSnapshot(), null, 'it could not start Python from it');
  takePythonWorker();
  assert.deepEqual(workers[2]!.given, [null]);
  first.terminate();
  second.terminate();
});

test("each new worker is given the page's compiled Pyodide module, once a worker has compiled it", () => {
  const compiled = { name: 'a WebAssembly.Module' };
  const first = takePythonWorker();
  assert.deepEqual(workers[0]!.modules, [null], 'none yet: the worker compiles it');
  workers[0]!.say({ t: 'wasm', module: compiled });
  assert.equal(heldWasmModule(), compiled);
  const second = takePythonWorker();
  assert.deepEqual(workers[1]!.modules, [compiled]);
  first.terminate();
  second.terminate();
});
