// One lab worker as the front process sees it: a child process (server/workers/worker-main.ts
// run with tsx, an IPC channel), started again when it dies, the connections waiting for it
// while it starts, and the questions it has not answered yet.

import { fork, type ChildProcess } from 'node:child_process';
import type net from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FrontToWorker, WorkerQuestion, WorkerToFront } from './worker-messages.ts';

const WORKER_ENTRY = fileURLToPath(new URL('./worker-main.ts', import.meta.url));

/** A worker that died is started again after this; doubled each time it dies young, up to the most. */
export const RESTART_DELAY_MS = 100;
const MAX_RESTART_DELAY_MS = 5_000;
/** A worker that lived this long had not been dying young: its next restart is quick again. */
const HEALTHY_RUN_MS = 30_000;
/** Connections held for a worker that is starting; more are refused (it is down too long). */
const MAX_WAITING_CONNECTIONS = 2_000;
/** A worker that does not answer a question within this is left out of the answer. */
export const ASK_TIMEOUT_MS = 3_000;

export interface LabWorkerOptions {
  index: number;
  /** The worker's command line (the server's options) and environment. */
  argv: string[];
  env: NodeJS.ProcessEnv;
  /** A message from the worker other than ready and answers (its gathers). */
  message(worker: LabWorkerProcess, message: WorkerToFront): void;
  log(line: string): void;
}

export class LabWorkerProcess {
  private child: ChildProcess | null = null;
  private ready = false;
  private stopping = false;
  private startedAt = 0;
  private restartDelayMs = RESTART_DELAY_MS;
  private restartTimer: NodeJS.Timeout | null = null;
  private readonly waiting: { socket: net.Socket; head: Buffer }[] = [];
  /**
   * Connections sent to the worker that it has not said it took. The front keeps its own copy
   * of each (keepOpen) until then: Node's own hand-over closes the sender's copy only on an
   * acknowledgement that a worker dying at that moment never sends, and never closes those
   * waiting behind it, so a browser's request would hang on a connection nobody serves.
   */
  private readonly handing = new Map<number, net.Socket>();
  private lastHand = 0;
  private lastAsk = 0;
  private readonly asked = new Map<number, (value: unknown) => void>();
  private readyWaiters: (() => void)[] = [];
  private exitWaiters: (() => void)[] = [];
  /** Times it was started again after dying (tests read it). */
  restarts = 0;

  constructor(private readonly options: LabWorkerOptions) {}

  get index(): number {
    return this.options.index;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get isReady(): boolean {
    return this.ready;
  }

  start(): void {
    this.startedAt = Date.now();
    const child = fork(WORKER_ENTRY, this.options.argv, { env: this.options.env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child = child;
    child.on('message', (message: WorkerToFront) => this.receive(message));
    // A send to a worker that just died fails here rather than throwing.
    child.on('error', (err) => this.options.log(`lab worker ${this.index}: ${err.message}`));
    child.once('exit', (code, signal) => this.exited(child, code, signal));
  }

  /** Resolves once the worker is ready (now, if it is). */
  whenReady(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Hands a connection over, with the bytes read of it; held while the worker starts. */
  hand(socket: net.Socket, head: Buffer): void {
    if (!this.ready || !this.child) {
      if (this.waiting.length >= MAX_WAITING_CONNECTIONS || this.stopping) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.waiting.push({ socket, head });
      return;
    }
    if (socket.destroyed) return;
    const id = ++this.lastHand;
    this.handing.set(id, socket);
    const message: FrontToWorker = { t: 'connection', id, head: head.toString('latin1') };
    this.child.send(message, socket, { keepOpen: true }, (err) => {
      if (err) this.dropHanded(id);
    });
  }

  /** Closes the front's copy of a handed connection (the worker's, if it has one, stays open). */
  private dropHanded(id: number): void {
    this.handing.get(id)?.destroy();
    this.handing.delete(id);
  }

  /** Asks the worker; null when it is not there or does not answer in time. */
  ask(q: WorkerQuestion): Promise<unknown> {
    const child = this.child;
    if (!this.ready || !child) return Promise.resolve(null);
    const id = ++this.lastAsk;
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(null), ASK_TIMEOUT_MS);
      const settle = (value: unknown) => {
        clearTimeout(timer);
        this.asked.delete(id);
        resolve(value);
      };
      this.asked.set(id, settle);
      const message: FrontToWorker = { t: 'ask', id, q };
      try {
        child.send(message, (err) => err && settle(null));
      } catch {
        settle(null);
      }
    });
  }

  send(message: FrontToWorker): void {
    try {
      this.child?.send(message, (err) => err && undefined);
    } catch {
      // Gone: its 'exit' restarts it.
    }
  }

  /** Stops it for good: SIGTERM (it closes its consoles with 1001), then SIGKILL after graceMs. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    for (const w of this.waiting.splice(0)) w.socket.destroy();
    for (const id of [...this.handing.keys()]) this.dropHanded(id);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  private receive(message: WorkerToFront): void {
    if (message.t === 'ready') {
      this.ready = true;
      for (const w of this.waiting.splice(0)) this.hand(w.socket, w.head);
      for (const resolve of this.readyWaiters.splice(0)) resolve();
      return;
    }
    if (message.t === 'took') {
      this.dropHanded(message.id);
      return;
    }
    if (message.t === 'answer') {
      this.asked.get(message.id)?.(message.value);
      return;
    }
    this.options.message(this, message);
  }

  private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.ready = false;
    this.child = null;
    for (const settle of [...this.asked.values()]) settle(null);
    for (const resolve of this.exitWaiters.splice(0)) resolve();
    // Connections it may never have received: their browsers see them close and try again
    // (a page reconnects its consoles). Not handed again: it may have served part of one.
    for (const id of [...this.handing.keys()]) this.dropHanded(id);
    if (this.stopping) return;
    // Its labs' pages reconnect by themselves (they see their WebSockets cut) and find their
    // labs on the new worker, which reads them from the store, as after a server restart.
    const ranMs = Date.now() - this.startedAt;
    this.restartDelayMs = ranMs > HEALTHY_RUN_MS ? RESTART_DELAY_MS : Math.min(this.restartDelayMs * 2, MAX_RESTART_DELAY_MS);
    this.options.log(`lab worker ${this.index} (pid ${child.pid}) stopped (${signal ?? `exit code ${code}`}); starting it again`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.restarts++;
      this.start();
    }, this.restartDelayMs);
  }
}
