// The front process of `--workers N` (N >= 2): it listens on the server's port, reads each new
// connection's request head to learn its lab (shared/lab-routing.ts: /lab/CODE,
// /api/labs/CODE/..., ?lab=CODE) and hands the connection itself over to the lab's worker
// (child.send with the socket as handle, and the bytes it read). From then on the worker and the
// browser talk directly: no frame passes through the front, and there is no added hop.
// Requests that name no lab (the home page, static files, the teacher's page and API, creating
// a lab) go to the worker of the page that asked (its Referer) or, for the rest, to each worker
// in turn. The front also carries the workers' gathers (the teacher's API) and starts a worker
// again when it dies.

import net from 'node:net';
import { labCodeOfReferer, labCodeOfTarget, workerOfLab } from '../../shared/lab-routing.ts';
import { RequestHeadReader } from './request-head.ts';
import { LabWorkerProcess } from './lab-worker-process.ts';
import { WORKER_ENV, type WorkerToFront } from './worker-messages.ts';

/** A connection that has not sent its request head within this is closed. */
export const HEAD_TIMEOUT_MS = 30_000;
/** How long stopping waits for the workers to close their consoles before killing them. */
const STOP_GRACE_MS = 5_000;

export interface FrontOptions {
  host: string;
  port: number;
  workers: number;
  /** The workers' command line (the server's options, as given) and environment. */
  argv: string[];
  env: NodeJS.ProcessEnv;
  log(line: string): void;
}

export class Front {
  private readonly server: net.Server;
  private readonly workers: LabWorkerProcess[] = [];
  private nextWorker = 0;
  private readonly heads = new Set<net.Socket>();
  private closing: Promise<void> | null = null;

  private constructor(private readonly options: FrontOptions) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  /** Listens, starts the workers and waits until every one is ready. */
  static async start(options: FrontOptions): Promise<Front> {
    if (!Number.isInteger(options.workers) || options.workers < 2) throw new Error('a front needs at least 2 workers');
    const front = new Front(options);
    await new Promise<void>((resolve, reject) => {
      front.server.once('error', reject);
      front.server.listen(options.port, options.host, () => {
        front.server.off('error', reject);
        resolve();
      });
    });
    for (let index = 0; index < options.workers; index++) {
      const worker = new LabWorkerProcess({
        index,
        argv: options.argv,
        env: {
          ...options.env,
          [WORKER_ENV.index]: String(index),
          [WORKER_ENV.count]: String(options.workers),
          [WORKER_ENV.publicPort]: String(front.port),
        },
        message: (from, message) => front.gather(from, message),
        log: options.log,
      });
      front.workers.push(worker);
      worker.start();
    }
    await Promise.all(front.workers.map((w) => w.whenReady()));
    return front;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** The worker processes' ids, by worker number (null while one restarts). */
  get workerPids(): (number | null)[] {
    return this.workers.map((w) => w.pid);
  }

  get workerRestarts(): number {
    return this.workers.reduce((n, w) => n + w.restarts, 0);
  }

  private accept(socket: net.Socket): void {
    const reader = new RequestHeadReader();
    this.heads.add(socket);
    socket.setTimeout(HEAD_TIMEOUT_MS, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.once('close', () => this.heads.delete(socket));
    const onData = (chunk: Buffer) => {
      const head = reader.add(chunk);
      if (head === 'more') return;
      socket.off('data', onData);
      this.heads.delete(socket);
      if (head === 'bad') {
        socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const bytes = stopReading(socket, head.bytes);
      socket.setTimeout(0);
      socket.removeAllListeners('error');
      socket.removeAllListeners('close');
      socket.on('error', () => socket.destroy());
      const code = labCodeOfTarget(head.target) ?? labCodeOfReferer(head.referer);
      const index = code !== null ? workerOfLab(code, this.workers.length) : this.nextWorker++ % this.workers.length;
      this.workers[index]!.hand(socket, bytes);
    };
    socket.on('data', onData);
  }

  /** A worker asks every worker (or the owner of one lab) for the teacher: ask and answer. */
  private gather(from: LabWorkerProcess, message: WorkerToFront): void {
    if (message.t !== 'gather') return;
    const to = message.to;
    const targets =
      to === 'all' ? this.workers : 'lab' in to ? [this.workers[workerOfLab(to.lab, this.workers.length)]!] : this.workers.slice(to.worker, to.worker + 1);
    void Promise.all(targets.map((w) => w.ask(message.q))).then((answers) => {
      from.send({ t: 'gathered', id: message.id, answers: answers.filter((a) => a !== null) });
    });
  }

  /** Stops listening, then stops every worker (they close their consoles with 1001). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      for (const socket of this.heads) socket.destroy();
      await Promise.all(this.workers.map((w) => w.stop(STOP_GRACE_MS)));
      await closed;
    })();
    return this.closing;
  }
}

/**
 * Stops reading the socket before it is handed over: bytes read by the front after this point
 * would be lost (the handle goes to the worker; Node drops what the parent reads meanwhile).
 * A browser sends nothing more before an answer, but a POST's body may follow its head: the
 * kernel keeps it for the worker. Returns the bytes read with any the stream had buffered.
 */
function stopReading(socket: net.Socket, bytes: Buffer): Buffer {
  socket.pause();
  // What the stream already holds, first: read() while the handle still reads starts nothing new.
  const more: Buffer[] = [];
  for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null) more.push(chunk);
  // No public API stops a net.Socket's reads at the handle (pause() only stops 'data' events).
  const handle = (socket as unknown as { _handle?: { readStop?: () => number; reading?: boolean } })._handle;
  if (handle?.readStop) {
    handle.readStop();
    handle.reading = false;
  }
  return more.length === 0 ? bytes : Buffer.concat([bytes, ...more]);
}
