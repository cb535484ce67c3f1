// The Python worker (a module worker: Pyodide 314 needs one). It loads Pyodide as soon as it
// starts, says `ready`, then runs one program when the page asks (web/common/python/worker-messages.ts): the
// device's files in PYTHON_HOME, sys.stdout and sys.stderr to the page as on a terminal
// (isatty, so stdout is line-buffered as CPython's is on a tty), typed lines and socket calls
// through the program's channel, Ctrl-C through the interrupt poller. It is never reused:
// the page ends it after the program and keeps a fresh spare loaded.
//
// Where the browser has JSPI (channel-choice.ts) the program is entered with callPromising,
// so its blocking calls can wait on a promise (run_sync) of an answer over the channel's
// WebSocket; else, or if that socket cannot be opened, it is called as a plain function and
// every blocking call is a synchronous XMLHttpRequest.

import { suspendsIn } from './channel-choice.ts';
import { ChannelModule } from './channel-module.ts';
import { createInterruptPoller, SIGINT } from '../common/python/interrupt-poller.ts';
import { loadLabPython, PYODIDE_VERSION } from './pyodide-loader.ts';
import { channelSocketUrl, SocketLink } from './socket-link.ts';
import { SyncTransport, xhrPost } from './sync-transport.ts';
import { MAIN_THREAD, ThreadHost } from './thread-host.ts';
import { WireRecorder } from '../common/python/wire-recorder.ts';
import { PYTHON_HOME, type PageToWorker, type RunRequest, type StoredSnapshot, type WorkerToPage } from '../common/python/worker-messages.ts';

/** The parts of a dedicated worker's global scope used here (the project's types are the DOM's). */
interface WorkerScope {
  readonly name: string;
  readonly location: { href: string };
  postMessage(message: WorkerToPage, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<PageToWorker>) => void): void;
}
const scope = self as unknown as WorkerScope;

function post(message: WorkerToPage): void {
  scope.postMessage(message, message.t === 'output' ? [message.bytes.buffer as ArrayBuffer] : []);
}

/** A name the files may use as a file of PYTHON_HOME (no folders, nothing hidden). */
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** The program waits for a typed line: the page reads one from the console and sends it to the server. */
const announceInput = () => post({ t: 'input' });

const channelModule = new ChannelModule(announceInput);
/** labthread's JS half: threads run where the program waits on promises. */
const threadHost = new ThreadHost();
/** Whether programs here wait on promises (JSPI) rather than synchronous requests. */
const suspends = suspendsIn(scope.name, WebAssembly);
const started = performance.now();
let lastPercent = -1;
/** The page's first messages: the snapshot and the compiled module it holds (python-worker-client.ts sends them as it makes the worker). */
let snapshotGiven: (snapshot: StoredSnapshot | null) => void = () => undefined;
const given = new Promise<StoredSnapshot | null>((resolve) => (snapshotGiven = resolve));
let wasmGiven: (module: WebAssembly.Module | null) => void = () => undefined;
const wasm = new Promise<WebAssembly.Module | null>((resolve) => (wasmGiven = resolve));
const loading = loadLabPython(
  channelModule,
  threadHost,
  (fraction) => {
    const percent = Math.floor(fraction * 100);
    if (percent === lastPercent) return;
    lastPercent = percent;
    post({ t: 'progress', fraction });
  },
  { given, keep: (snapshot) => post({ t: 'snapshot', snapshot }), wasm, keepWasm: (module) => post({ t: 'wasm', module }) },
);
loading.then(
  () => post({ t: 'ready', version: PYODIDE_VERSION, loadMs: Math.round(performance.now() - started) }),
  (err: unknown) => post({ t: 'failed', message: `Python could not be loaded: ${err instanceof Error ? err.message : String(err)}` }),
);

async function run(request: RunRequest): Promise<void> {
  const pyodide = await loading;
  const link = suspends ? await SocketLink.connect(channelSocketUrl(request.syncUrl, scope.location.href)) : null;
  const transport = new SyncTransport(request.syncUrl, xhrPost, undefined, link?.post ?? null);
  transport.onInterrupted = () => post({ t: 'interrupted' });
  channelModule.attach(transport, new WireRecorder((event) => post({ t: 'wire', event }), request.hostname));

  const terminal = (stream: 'stdout' | 'stderr') => ({
    isatty: true,
    write(bytes: Uint8Array): number {
      post({ t: 'output', stream, bytes: bytes.slice() });
      return bytes.length;
    },
  });
  pyodide.setStdout(terminal('stdout'));
  pyodide.setStderr(terminal('stderr'));

  const poller = createInterruptPoller(
    () => transport.signalPending(),
    undefined,
    (at) => threadHost.switchDue(at),
  );
  transport.onCtrlCChecked = () => poller.checked();
  transport.inBackground = () => threadHost.current !== MAIN_THREAD;
  transport.takeMainInterrupt = () => threadHost.takeMainInterrupt();
  threadHost.attach({ ctrlCPending: () => transport.signalPendingForMain(), raise: (signal) => poller.raise(signal) });
  pyodide.setStdin({
    isatty: true,
    // Called from inside Pyodide's file layer, where Python cannot wait on a promise: a
    // synchronous request, whichever way the program's other calls go.
    stdin: () => {
      announceInput();
      const outcome = transport.blocking(transport.stdin());
      if (outcome.kind === 'ok') return outcome.value === null ? null : `${String(outcome.value)}\n`;
      if (outcome.kind === 'interrupted') {
        // Fail this read with EINTR while SIGINT is pending: CPython's read loop then checks
        // for signals (PEP 475) and raises KeyboardInterrupt in the program.
        poller.raise(SIGINT);
        pyodide.checkInterrupt();
      }
      return null; // end of input
    },
  });
  pyodide.setInterruptBuffer(poller.buffer as unknown as Int32Array);

  pyodide.FS.mkdirTree(PYTHON_HOME);
  for (const [name, text] of Object.entries(request.files)) {
    if (FILE_NAME.test(name)) pyodide.FS.writeFile(`${PYTHON_HOME}/${name}`, text);
  }
  pyodide.FS.chdir(PYTHON_HOME);

  // Threads need a second stack, so JSPI and the channel's WebSocket; else starting one says why.
  const labthread = pyodide.pyimport('labthread');
  if (link) labthread.install();
  else labthread.refuse(whyNoThreads(suspends));
  labthread.destroy();

  const labmain = pyodide.pyimport('labmain');
  const [entry, args] =
    request.script === null
      ? [labmain.run_console, [request.pid, request.hostname]]
      : [labmain.run_file, [request.pid, request.hostname, `${PYTHON_HOME}/${request.script}`, pyodide.toPy([...request.argv])]];
  const status: number = link ? await entry.callPromising(...args) : entry(...args);
  link?.close();
  pyodide.setInterruptBuffer(undefined as unknown as Int32Array); // the channel is gone once the page says exit
  post({ t: 'exit', status });
}

/** Why a program here cannot start a thread (the end of RuntimeError's "can't start new thread: "). */
function whyNoThreads(jspi: boolean): string {
  if (!('Suspending' in WebAssembly)) {
    return 'threads need WebAssembly JSPI (stack switching), which this browser lacks; Chrome and Edge 137 or later and Firefox 153 ESR run them';
  }
  if (!jspi) return "threads need JSPI's channel, and this page forces synchronous requests (?python-channel=xhr in its address)";
  return "threads need the program's channel WebSocket, which could not be opened";
}

let running = false;
scope.addEventListener('message', (event) => {
  const message = event.data;
  if (message.t === 'snapshot') return snapshotGiven(message.snapshot);
  if (message.t === 'wasm') return wasmGiven(message.module as WebAssembly.Module | null);
  if (message.t !== 'run' || running) return;
  running = true;
  run(message).catch((err: unknown) => post({ t: 'failed', message: err instanceof Error ? err.message : String(err) }));
});
