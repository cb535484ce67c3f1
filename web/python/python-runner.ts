// Runs a student's Python in a console, as startProgram runs a built-in: a `python` process on
// the server (whose synchronous channel the worker uses for socket calls and typed lines), a
// worker with Pyodide loaded (the spare one when there is one), the program's output on the
// console, one typed line sent each time the program waits for one, Ctrl-C, kill, and the
// process's exit (the server closes its sockets) however it ends. It touches no page element, but
// it takes its worker from spare-python-worker.ts (a Worker, TextDecoder, AbortController: the
// DOM lib's), so it stays out of web/common.
// Loaded only when `python` first runs (a dynamic import), so the first page stays small.

import type { BridgeSession } from '../common/bridge/bridge-session.ts';
import type { ConsoleIO, RunningProgram } from '../common/programs/program-runner.ts';
import { parsePythonCommand, type PythonInvocation } from '../common/python/python-command.ts';
import type { PythonWorkerClient } from './python-worker-client.ts';
import { keepSparePythonWorker, returnUnusedPythonWorker, takePythonWorker } from './spare-python-worker.ts';
import type { WorkerToPage } from '../common/python/worker-messages.ts';
import { wireTapOf } from '../common/net/wire-tap.ts';
import { setNoDelayOverChannel } from './channel-option.ts';
import { withLabParam } from '../../shared/lab-routing.ts';
import type { WireEvent } from '../common/python/wire-recorder.ts';

/** After Ctrl-C, how long a program has to stop by itself (KeyboardInterrupt) before its
 * worker is ended: code that never reaches a check, like a long C loop, cannot be reached. */
export const INTERRUPT_GRACE_MS = 1500;

/** The spare worker for the next run starts loading once this run's program has started
 * (it waits for a typed line, a socket call returned, or it ended), or after this long: its
 * loading takes the CPU that the program needs to start (on 2 cores, a `>>>` came ~0.5 s
 * later when both started at once). */
export const SPARE_LOAD_DELAY_MS = 1000;

export type PythonSession = Pick<BridgeSession, 'call' | 'onKill' | 'onClose' | 'welcome'>;

export interface PythonRunOptions {
  /** What followed `python` on the command line. */
  argv: readonly string[];
  /** The device's files, by name (a snapshot taken as the program starts). */
  files: Readonly<Record<string, string>>;
  /** Loading Pyodide: fractions from 0 to 1 (not called when a loaded worker was ready). */
  onProgress?(fraction: number): void;
  /** Loading is over (loaded, failed or interrupted): a progress line can go. */
  onLoaded?(): void;
}

export async function startPython(session: PythonSession, io: ConsoleIO, options: PythonRunOptions): Promise<RunningProgram> {
  const invocation = parsePythonCommand(options.argv, options.files);
  if ('error' in invocation) throw new Error(invocation.error);
  // The worker starts loading (or is the loaded spare) while the server spawns the process.
  const worker = takePythonWorker();
  let spawned: { pid: number; channel?: string | null };
  try {
    spawned = await session.call({ op: 'spawn', name: 'python', argv: [...options.argv] });
    if (!spawned.channel) throw new Error('the lab server gave this program no channel');
  } catch (err) {
    returnUnusedPythonWorker(worker);
    throw err;
  }
  const run = new PythonRun(session, io, spawned.pid, spawned.channel, invocation, options, worker);
  return { pid: spawned.pid, interrupt: () => run.interrupt(), started: run.started, done: run.main() };
}

class PythonRun {
  private state: 'loading' | 'running' | 'ended' = 'loading';
  private interruptedWhileLoading = false;
  private reading: AbortController | null = null;
  private graceTimer: ReturnType<typeof setTimeout> | null = null;
  private spareTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  private readonly disposers: (() => void)[] = [];
  /** The program's sockets the wire view offers a Nagle switch for, until it ends. */
  private readonly wireSockets = new Set<number>();
  private finish!: () => void;
  private readonly ended = new Promise<void>((resolve) => (this.finish = resolve));
  private markStarted!: () => void;
  /** Once the program's code runs (Python loaded), or once it ended before. */
  readonly started = new Promise<void>((resolve) => (this.markStarted = resolve));

  constructor(
    private readonly session: PythonSession,
    private readonly io: ConsoleIO,
    readonly pid: number,
    private readonly channel: string,
    private readonly invocation: PythonInvocation,
    private readonly options: PythonRunOptions,
    private readonly worker: PythonWorkerClient,
  ) {}

  async main(): Promise<void> {
    this.disposers.push(this.session.onKill((pid) => pid === this.pid && this.stop(null)));
    this.disposers.push(this.session.onClose(() => this.stop(null)));
    try {
      const worker = this.worker;
      if (!worker.isReady) await this.load(worker);
      if (this.interruptedWhileLoading) this.io.write('KeyboardInterrupt\n');
      else if (this.state === 'loading') this.begin(worker);
      await this.ended;
    } catch (err) {
      this.io.write(`python: ${err instanceof Error ? err.message : String(err)}\n`);
    } finally {
      this.end();
      if (this.interruptedWhileLoading) returnUnusedPythonWorker(this.worker);
      else this.worker.terminate();
      await this.session.call({ op: 'exit', pid: this.pid }).catch(() => undefined);
    }
  }

  /** Ctrl-C: KeyboardInterrupt in the program, which the server raises at its next call. */
  interrupt(): void {
    if (this.state === 'loading') {
      this.interruptedWhileLoading = true;
      this.end();
      return;
    }
    if (this.state !== 'running') return;
    this.reading?.abort(new Error('Ctrl-C'));
    this.reading = null;
    this.session.call({ op: 'interrupt', pid: this.pid }).catch(() => undefined);
    this.graceTimer ??= setTimeout(() => this.stop('KeyboardInterrupt\n'), INTERRUPT_GRACE_MS);
  }

  private async load(worker: PythonWorkerClient): Promise<void> {
    const stopProgress = worker.onProgress((fraction) => this.options.onProgress?.(fraction));
    this.options.onProgress?.(worker.fraction);
    let failure: unknown = null;
    try {
      await Promise.race([worker.ready, this.ended]);
    } catch (err) {
      failure = err;
    } finally {
      stopProgress();
      this.options.onLoaded?.();
    }
    if (failure !== null && this.state === 'loading') {
      this.io.write(`python: ${failure instanceof Error ? failure.message : String(failure)}\n`);
      this.end();
    }
  }

  private begin(worker: PythonWorkerClient): void {
    this.state = 'running';
    this.markStarted();
    this.spareTimer = setTimeout(() => this.loadSpare(), SPARE_LOAD_DELAY_MS);
    this.disposers.push(worker.onMessage((message) => this.handle(message)));
    worker.run({
      t: 'run',
      syncUrl: this.syncUrl,
      pid: this.pid,
      hostname: this.session.welcome.device.address,
      files: this.options.files,
      script: this.invocation.script,
      argv: this.invocation.argv,
    });
  }

  /** Loads a spare while this program runs: the next `python` starts at once. */
  private loadSpare(): void {
    if (this.spareTimer === null) return;
    clearTimeout(this.spareTimer);
    this.spareTimer = null;
    keepSparePythonWorker();
  }

  /** Names the lab (?lab=CODE), so that a front process or HAProxy routes it to the lab's worker. */
  private get syncUrl(): string {
    return withLabParam(`/api/sync/${this.channel}`, this.session.welcome.lab);
  }

  /** A socket call of the program returned: a line of the console's wire view. */
  private wire(event: WireEvent): void {
    const tap = wireTapOf(this.session);
    if (!tap) return;
    const { sock, direction } = event;
    if (event.peer) {
      this.wireSockets.add(sock);
      const syncUrl = this.syncUrl;
      tap.socket(sock, { local: event.local ?? null, peer: event.peer, connected: true, setNoDelay: (on) => setNoDelayOverChannel(syncUrl, sock, on) });
    }
    if (direction === 'option' && event.note) tap.socket(sock, { noDelay: event.note.startsWith('TCP_NODELAY=1') });
    tap.record(sock, direction, { bytes: event.bytes, length: event.length, note: event.note });
    if (direction === 'close') {
      this.wireSockets.delete(sock);
      tap.closed(sock);
    }
  }

  private handle(message: WorkerToPage): void {
    if (this.state !== 'running') return;
    if (message.t === 'input' || message.t === 'wire' || message.t === 'exit') this.loadSpare();
    if (message.t === 'wire') return this.wire(message.event);
    switch (message.t) {
      case 'output':
        this.io.write(this.decoders[message.stream].decode(message.bytes, { stream: true }));
        return;
      case 'input':
        this.readLine();
        return;
      case 'interrupted':
        // It heeded Ctrl-C; it may go on (a program or the >>> prompt that catches it).
        if (this.graceTimer !== null) clearTimeout(this.graceTimer);
        this.graceTimer = null;
        return;
      case 'exit':
        this.io.write(this.decoders.stdout.decode() + this.decoders.stderr.decode());
        this.end();
        return;
      case 'failed':
        this.io.write(`python: ${message.message}\n`);
        this.end();
        return;
    }
  }

  /** The program waits for a line: one typed line goes to the server for it. */
  private readLine(): void {
    if (this.reading) return;
    const reading = new AbortController();
    this.reading = reading;
    this.io.readLine(reading.signal).then(
      (line) => {
        if (this.reading === reading) this.reading = null;
        if (this.state === 'running') return this.session.call({ op: 'stdin', pid: this.pid, line });
      },
      () => {
        if (this.reading === reading) this.reading = null;
      },
    ).catch(() => undefined);
  }

  /** Ends the program now (kill, a closed console, or Ctrl-C that it did not heed). */
  private stop(lastWords: string | null): void {
    if (this.state === 'ended') return;
    this.worker.terminate();
    if (lastWords !== null) this.io.write(lastWords);
    this.end();
  }

  private end(): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    if (this.graceTimer !== null) clearTimeout(this.graceTimer);
    this.loadSpare(); // ended before any of those (killed, failed): the next run still wants one
    this.reading?.abort(new Error('the program ended'));
    this.reading = null;
    for (const dispose of this.disposers.splice(0)) dispose();
    // The process's end closes its sockets on the server: no switch for them any more.
    const tap = wireTapOf(this.session);
    for (const sock of this.wireSockets) tap?.closed(sock);
    this.wireSockets.clear();
    this.markStarted();
    this.finish();
  }
}
