// The lab for the relay benchmarks: the real server in a child process on loopback
// (tests/support/server-process.ts), with labs made over HTTP; the consoles are opened by the
// bench agents (bench/agents/).

import { startServerProcess } from '../tests/support/server-process.ts';
import { benchNodeArgs } from './bench-server.ts';

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

/**
 * The server as `npm start` runs it, one process (`--workers 1`: a relay's figure is one
 * process's), with the message-rate limits raised: they guard against a flooding page, and at
 * benchmark rates they would refuse frames.
 */
export async function startBenchLab(): Promise<BenchLab> {
  const server = await startServerProcess({
    workers: 1,
    nodeArgs: benchNodeArgs(),
    args: ['--limit', 'messages-per-second=1000000000', '--limit', 'connections-per-second=100000'],
  });
  return { baseUrl: server.baseUrl, createLab: () => server.createLab(), close: () => server.stop() };
}
