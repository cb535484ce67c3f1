// The lab for the relay benchmarks: the real server in a child process on a free loopback
// port (bench/lab-server-process.ts), with labs made over HTTP; the consoles are opened by
// the bench agents (bench/agents/).

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LabClient } from './soak/lab-client.ts';

/** Rejects with a message naming `what` when `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface BenchLab {
  baseUrl: string;
  createLab(): Promise<string>;
  /** Stops the server process. */
  close(): Promise<void>;
}

const SERVER_SCRIPT = fileURLToPath(new URL('./lab-server-process.ts', import.meta.url));

export async function startBenchLab(): Promise<BenchLab> {
  // BENCH_LAB_SERVER_ARGS: node options for the server process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const extra = (process.env.BENCH_LAB_SERVER_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...extra, '--import', 'tsx', SERVER_SCRIPT], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const urls = await withTimeout(
    new Promise<{ baseUrl: string }>((resolve, reject) => {
      let text = '';
      child.stdout!.on('data', (d: Buffer) => {
        text += d.toString();
        const nl = text.indexOf('\n');
        if (nl >= 0) resolve(JSON.parse(text.slice(0, nl)) as { baseUrl: string });
      });
      child.once('exit', (code) => reject(new Error(`lab server exited (${code}) before it listened`)));
      child.once('error', reject);
    }),
    30_000,
    'starting the lab server',
  ).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const client = new LabClient(urls.baseUrl);
  return {
    baseUrl: urls.baseUrl,
    createLab: () => client.createLab(),
    async close() {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
