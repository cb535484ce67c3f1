// The real server as its own process, as `npm start` runs it: `tsx server/main.ts --workers N
// --port 0` in a child process (with --workers 1 the one process of before; with N >= 2 a front
// process and N lab worker processes), on loopback, with a temporary data folder of its own.
// The integration and browser tests of the server process, the tests of several instances
// (HAProxy in front) and the bench all start it here. It is ready once it prints that it is
// running (and, with workers, their pids); stop() sends SIGTERM and waits until it and every
// worker have exited; kill() is SIGKILL, an instance that dies. main.ts serves the built
// page: `npm run build` first (npm test builds before the tests).

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKER_HEADER } from '../../server/workers/worker-messages.ts';
import type { BridgeSession } from '../../web/common/bridge/bridge-session.ts';
import { openConsole } from './open-console.ts';
import { processLines } from './process-lines.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** tsx compiles the server at start: a few seconds, more on a busy machine. */
const START_TIMEOUT_MS = 60_000;
/** After SIGTERM the server closes its consoles and stops its workers (5 s at most each); then SIGKILL. */
const STOP_TIMEOUT_MS = 15_000;
/** "Socket Lab is running: open http://127.0.0.1:PORT/" (the real port, also with --port 0). */
const READY_LINE = /^Socket Lab is running: open http:\/\/[^/]+:(\d+)\//;
/** "2 lab workers (pids 101, 102); the front process is pid 100" */
const WORKERS_LINE = /lab workers \(pids ([\d, ]+)\)/;

/** The teacher's token (the administrator's) of every server started here. */
export const SERVER_PROCESS_TEACHER_TOKEN = 'server-process-teacher-token';

export interface ServerProcessOptions {
  /** --workers N: 1 is one process; N >= 2 a front and N lab workers. */
  workers: number;
  /** More options of the server (--instance-name lab1, --database URL, --limit NAME=N, ...), after the defaults: a later value wins. */
  args?: string[];
  /** More environment for it (and its workers). */
  env?: Record<string, string>;
  /** Node's own options, before the script (--cpu-prof ...); forked workers inherit them. */
  nodeArgs?: string[];
}

export interface ServerProcess {
  port: number;
  baseUrl: string;
  /** ws://127.0.0.1:PORT/ws */
  wsUrl: string;
  /** The process started: the one server, or the front. */
  pid: number;
  /** The lab workers' pids as start-up printed them ([] with --workers 1). */
  workerPids: number[];
  /** Its temporary data folder (--data), removed once it has exited. */
  dataDir: string;
  teacherToken: string;
  /** What it printed so far (stdout and stderr), for a failing test's message. */
  output(): string;
  /** A lab made with `POST /api/labs` (in the class of `classSlug`, else the default class): its code. */
  createLab(classSlug?: string): Promise<string>;
  /** Which worker answers for a lab: its number and pid (the x-socket-lab-worker header; 0 and the pid with one process). */
  workerOf(code: string): Promise<{ index: number; pid: number }>;
  /** A console of a device on /ws?lab=CODE, as the page opens it; closed by stop(). */
  openConsole(code: string, deviceKey: string): Promise<BridgeSession>;
  /** Whether the process started has exited. */
  exited(): boolean;
  /** SIGTERM; resolves once it (and its workers) have exited. */
  stop(): Promise<void>;
  /** SIGKILL: it dies at once, as on a crash or a machine that goes away (its workers follow: their IPC channel closes). */
  kill(): Promise<void>;
}

/** Whether a process is alive (signal 0). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'socket-lab-server-'));
  const args = [
    ...(options.nodeArgs ?? []),
    '--import', 'tsx', 'server/main.ts',
    '--workers', String(options.workers),
    '--host', '127.0.0.1',
    '--port', '0',
    '--data', dataDir,
    '--teacher-token', SERVER_PROCESS_TEACHER_TOKEN,
    '--log-level', 'silent',
    '--real-ports', 'any',
    ...(options.args ?? []),
  ];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const output = () => lines.join('\n');
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A test process that ends without stop (a crash) still ends its server.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const sessions: BridgeSession[] = [];
  let ended = false;
  const end = async (signal: NodeJS.Signals) => {
    if (!ended) {
      ended = true;
      process.removeListener('exit', killOnExit);
      for (const s of sessions) if (!s.closed) s.close();
    }
    if (!hasExited()) child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    rmSync(dataDir, { recursive: true, force: true });
  };

  let port = 0;
  let workerPids: number[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      const onLine = (line: string) => {
        lines.push(line);
        const ready = READY_LINE.exec(line);
        if (ready) port = Number(ready[1]);
        const pids = WORKERS_LINE.exec(line);
        if (pids) workerPids = pids[1]!.split(', ').map(Number);
        if (port > 0 && (options.workers === 1 || workerPids.length > 0)) {
          clearTimeout(timer);
          resolve();
        }
      };
      processLines(child.stdout!, onLine);
      processLines(child.stderr!, (line) => lines.push(line));
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`the server exited at start (${child.exitCode ?? child.signalCode})`));
      });
    });
  } catch (err) {
    await end('SIGKILL');
    throw new Error(`${(err as Error).message}:\n${output()}`);
  }

  const baseUrl = `http://127.0.0.1:${port}`;
  const wsUrl = `ws://127.0.0.1:${port}/ws`;
  return {
    port,
    baseUrl,
    wsUrl,
    pid: child.pid!,
    workerPids,
    dataDir,
    teacherToken: SERVER_PROCESS_TEACHER_TOKEN,
    output,
    async createLab(classSlug) {
      const init: RequestInit = classSlug === undefined ? { method: 'POST' } : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ class: classSlug }) };
      const res = await fetch(`${baseUrl}/api/labs`, init);
      if (!res.ok) throw new Error(`POST /api/labs: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { code: string }).code;
    },
    async workerOf(code) {
      const res = await fetch(`${baseUrl}/api/labs/${code}`);
      await res.arrayBuffer();
      // A worker names itself "INDEX/PID"; the one process of --workers 1 sends no header.
      const header = res.headers.get(WORKER_HEADER);
      if (header === null) return { index: 0, pid: child.pid! };
      const [index, pid] = header.split('/').map(Number);
      return { index: index!, pid: pid! };
    },
    openConsole: (code, deviceKey) => openConsole(wsUrl, sessions, code, deviceKey),
    exited: hasExited,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };
}
