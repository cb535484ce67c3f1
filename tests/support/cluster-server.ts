// The real server with --workers N, as `npm start` runs it: `tsx server/main.ts --workers N
// --port 0` in a child process (a front process and N lab worker processes), with its own
// temporary data folder. Tests and the bench start it here; stop() sends the front SIGTERM and
// waits until it and every worker have exited.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { withLabParam } from '../../shared/lab-routing.ts';
import { WORKER_HEADER } from '../../server/workers/worker-messages.ts';
import { BridgeSession, type WebSocketLike } from '../../web/common/bridge/bridge-session.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

export const CLUSTER_TEACHER_TOKEN = 'cluster-teacher-token';

export interface ClusterServer {
  baseUrl: string;
  wsUrl: string;
  port: number;
  frontPid: number;
  /** The workers' pids as start-up printed them. */
  workerPids: number[];
  teacherToken: string;
  /** What the server printed so far (stdout and stderr). */
  output(): string;
  createLab(): Promise<string>;
  /** Which worker answers for a lab: its number and pid (the x-socket-lab-worker header). */
  workerOf(code: string): Promise<{ index: number; pid: number }>;
  /** A console of a device on /ws?lab=CODE, as the page opens it. */
  openConsole(code: string, deviceKey: string): Promise<BridgeSession>;
  /** SIGTERM to the front; resolves once it and its workers have exited. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  workers?: number;
  /** More options of the server (e.g. --limit NAME=N). */
  args?: string[];
  env?: Record<string, string>;
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

export async function startClusterServer(options: ClusterOptions = {}): Promise<ClusterServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'socket-lab-cluster-'));
  const workers = options.workers ?? 2;
  const args = [
    '--import',
    'tsx',
    'server/main.ts',
    '--workers',
    String(workers),
    '--port',
    '0',
    '--data',
    dataDir,
    '--teacher-token',
    CLUSTER_TEACHER_TOKEN,
    '--log-level',
    'silent',
    '--real-ports',
    'any',
    ...(options.args ?? []),
  ];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = new Promise<{ port: number; pids: number[] }>((resolve, reject) => {
    const look = () => {
      const url = /Socket Lab is running: open http:\/\/127\.0\.0\.1:(\d+)\//.exec(text);
      const pids = /lab workers \(pids ([\d, ]+)\)/.exec(text);
      if (url && pids) resolve({ port: Number(url[1]), pids: pids[1]!.split(', ').map(Number) });
    };
    child.stdout!.on('data', (d: Buffer) => ((text += d.toString()), look()));
    child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
    void exited.then(() => reject(new Error(`the server exited before it listened:\n${text}`)));
    setTimeout(() => reject(new Error(`the server did not start within ${START_TIMEOUT_MS} ms:\n${text}`)), START_TIMEOUT_MS).unref();
  });
  let found: { port: number; pids: number[] };
  try {
    found = await started;
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const baseUrl = `http://127.0.0.1:${found.port}`;
  const wsUrl = `ws://127.0.0.1:${found.port}/ws`;
  const sessions: BridgeSession[] = [];
  return {
    baseUrl,
    wsUrl,
    port: found.port,
    frontPid: child.pid!,
    workerPids: found.pids,
    teacherToken: CLUSTER_TEACHER_TOKEN,
    output: () => text,
    async createLab() {
      const res = await fetch(`${baseUrl}/api/labs`, { method: 'POST' });
      return ((await res.json()) as { code: string }).code;
    },
    async workerOf(code) {
      const res = await fetch(`${baseUrl}/api/labs/${code}`);
      await res.arrayBuffer();
      const [index, pid] = (res.headers.get(WORKER_HEADER) ?? '').split('/').map(Number);
      return { index: index!, pid: pid! };
    },
    async openConsole(code, deviceKey) {
      const ws = new WebSocket(withLabParam(wsUrl, code)) as unknown as WebSocketLike;
      const session = await BridgeSession.open(ws, code, deviceKey);
      sessions.push(session);
      return session;
    },
    async stop() {
      for (const s of sessions) if (!s.closed) s.close();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
