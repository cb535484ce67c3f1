// What the scale and workers benchmarks measure: something that serves labs at one URL, as a
// BenchServer (its URL, making labs, which worker holds one, its processes, whose memory
// totalRss adds up, stopping it). The server as `npm start` runs it
// (tests/support/server-process.ts) with the limits raised (at benchmark rates they would
// refuse frames and connections): with --workers 1 the one process of before; with N >= 2 a
// front process and N lab worker processes, and its memory is the sum of theirs (VmRSS from
// /proc), since every one of them holds part of the load. HAProxy in front of instances
// (bench/haproxy-instances.ts) offers the same BenchServer and is measured by the same code.

import { readFileSync } from 'node:fs';
import { startServerProcess, type ServerProcess } from '../tests/support/server-process.ts';

/** What the benchmarks need of a server: where it is, labs, its memory, and stopping it. */
export interface BenchServer {
  baseUrl: string;
  /** What it is, for the rows' notes ("--workers 2"). */
  name: string;
  createLab(): Promise<string>;
  /** Which lab worker (or instance) answers for a lab (0 for one process), to show the labs are spread. */
  workerOf(code: string): Promise<number>;
  /** Its processes now (a restarted worker's new pid included): their memory (totalRss) and CPU. */
  pids(): number[];
  /** Whether it (one of its processes) has exited. */
  exited(): boolean;
  stop(): Promise<void>;
}

/** A process's resident memory (VmRSS), bytes. */
function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0; // gone (a worker being restarted): it holds nothing
  }
}

/** The memory of all the processes, bytes. */
export function totalRss(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + rssOf(pid), 0);
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

/** BENCH_LAB_SERVER_ARGS: node options for the server's processes (README, profiling). */
export function benchNodeArgs(): string[] {
  return (process.env.BENCH_LAB_SERVER_ARGS ?? '').split(/\s+/).filter(Boolean);
}

/** The server process with the bench's limits (for `consoles` consoles) and node options; `args` after them. */
export function startBenchProcess(options: { workers: number; consoles: number; args?: string[] }): Promise<ServerProcess> {
  return startServerProcess({
    workers: options.workers,
    nodeArgs: benchNodeArgs(),
    args: [...benchLimits(options.consoles), ...(options.args ?? [])],
  });
}

/** `npm start --workers N` as a BenchServer. */
export async function startBenchServer(options: { workers: number; consoles: number }): Promise<BenchServer> {
  const server = await startBenchProcess(options);
  const pids = () => [server.pid, ...server.workerPids];
  return {
    baseUrl: server.baseUrl,
    name: `--workers ${options.workers}`,
    createLab: () => server.createLab(),
    workerOf: async (code) => (await server.workerOf(code)).index,
    pids,
    exited: () => server.exited(),
    stop: () => server.stop(),
  };
}
