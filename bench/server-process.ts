// The real server for the scale and workers benchmarks, as `npm start` runs it: `server/main.ts
// --workers N` in a child process on a free loopback port, with its own data folder and the
// limits raised (at benchmark rates they would refuse frames and connections). With --workers 1
// it is the one process of before; with N >= 2 a front process and N lab worker processes, and
// its memory is the sum of theirs (VmRSS from /proc), since every one of them holds part of the
// load. Anything else that serves labs (HAProxy in front of instances) can offer the same
// BenchServer and be measured by the same code.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.ts';
import { LabClient, sleep } from './soak/lab-client.ts';
import { WORKER_HEADER } from '../server/workers/worker-messages.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/** What the benchmarks need of a server: where it is, labs, its memory, and stopping it. */
export interface BenchServer {
  baseUrl: string;
  /** What it is, for the rows' notes ("--workers 2"). */
  name: string;
  createLab(): Promise<string>;
  /** Which lab worker answers for a lab (0 for one process), to show the labs are spread. */
  workerOf(code: string): Promise<number>;
  /** The memory of all its processes, bytes. */
  rss(): number;
  /** Whether it (its first process) has exited. */
  exited(): boolean;
  stop(): Promise<void>;
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0; // gone (a worker being restarted): it holds nothing
  }
}

/** The limits raised so that only the machine bounds a benchmark (`consoles` per device at least). */
export function benchLimits(consoles: number): string[] {
  return [
    `consoles-per-device=${Math.max(32, consoles)}`,
    'sockets-per-lab=100000',
    'sockets-per-device=10000',
    'connections-per-second=100000',
    'messages-per-second=1000000000',
  ].flatMap((l) => ['--limit', l]);
}

export async function startServerProcess(options: { workers: number; consoles: number }): Promise<BenchServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'socket-lab-bench-'));
  // BENCH_LAB_SERVER_ARGS: node options for the server's processes (README, profiling).
  const extra = (process.env.BENCH_LAB_SERVER_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...extra,
      '--import',
      'tsx',
      'server/main.ts',
      '--workers',
      String(options.workers),
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--data',
      dataDir,
      '--real-ports',
      'any',
      '--log-level',
      'silent',
      ...benchLimits(options.consoles),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let text = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const workerPids = await new Promise<number[]>((resolve, reject) => {
    const look = () => {
      if (!text.includes('Socket Lab is running')) return;
      if (options.workers === 1) return resolve([]);
      const pids = /lab workers \(pids ([\d, ]+)\)/.exec(text);
      if (pids) resolve(pids[1]!.split(', ').map(Number));
    };
    child.stdout!.on('data', (d: Buffer) => ((text += d.toString()), look()));
    child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
    void exited.then(() => reject(new Error(`the server exited before it was ready: ${text.trim()}`)));
    setTimeout(() => reject(new Error(`the server did not start within ${START_TIMEOUT_MS} ms: ${text.trim()}`)), START_TIMEOUT_MS).unref();
  }).catch((err: unknown) => {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const client = new LabClient(baseUrl);
  const pids = [child.pid!, ...workerPids];
  return {
    baseUrl,
    name: `--workers ${options.workers}`,
    createLab: () => client.createLab(),
    async workerOf(code) {
      const res = await fetch(`${baseUrl}/api/labs/${code}`);
      await res.arrayBuffer();
      // A worker names itself "INDEX/PID"; the one process of --workers 1 sends no header.
      return Number((res.headers.get(WORKER_HEADER) ?? '0').split('/')[0]);
    },
    rss: () => pids.reduce((sum, pid) => sum + rssOf(pid), 0),
    exited: () => child.exitCode !== null || child.signalCode !== null,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(STOP_TIMEOUT_MS)]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
