// websockify, the baseline relay: found on PATH, or installed from Debian's package when we
// run as root and it is missing; started on a free loopback port in front of a TCP target,
// and stopped (its whole process group: it forks a worker per connection).

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { freePort } from '../tests/support/free-port.ts';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The websockify command, or why there is none (said in the rows' notes). */
export type WebsockifyFound = { path: string; note: string | null } | { path: null; note: string };

async function onPath(): Promise<string | null> {
  try {
    const { stdout } = await run('sh', ['-c', 'command -v websockify'], { timeout: 5_000 });
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

let found: Promise<WebsockifyFound> | null = null;

/** Finds websockify, installing it (apt-get install -y websockify) when root and missing. Once per process. */
export function findWebsockify(): Promise<WebsockifyFound> {
  found ??= (async (): Promise<WebsockifyFound> => {
    const path = await onPath();
    if (path) return { path, note: null };
    if (process.getuid?.() !== 0) return { path: null, note: 'websockify is not installed (apt-get install websockify, as root)' };
    try {
      await run('apt-get', ['install', '-y', 'websockify'], { timeout: 300_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    } catch (err) {
      return { path: null, note: `websockify is missing and apt-get install websockify failed: ${String(err).split('\n')[0]}` };
    }
    const installed = await onPath();
    return installed
      ? { path: installed, note: 'websockify was installed by this run (apt-get install -y websockify)' }
      : { path: null, note: 'apt-get install websockify ran but websockify is not on PATH' };
  })();
  return found;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect({ host: '127.0.0.1', port });
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

export interface RunningWebsockify {
  port: number;
  url: string;
  stop(): Promise<void>;
}

/** Starts websockify on a free loopback port relaying to 127.0.0.1:targetPort; waits until it listens. */
export async function startWebsockify(path: string, targetPort: number): Promise<RunningWebsockify> {
  const port = await freePort();
  const child: ChildProcess = spawn(path, [`127.0.0.1:${port}`, `127.0.0.1:${targetPort}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true, // its own process group, so stop() ends its forked workers too
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 3_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 15_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`websockify did not start: ${stderr.trim().split('\n').at(-1) ?? ''}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, url: `ws://127.0.0.1:${port}/`, stop };
}

/** Runs of one measure three ways, in turn (ours, the raw baseline, websockify when found), after `warmups` uncounted runs of each. */
export interface ThreeWaySamples<T> {
  ours: T[];
  raw: T[];
  websockify: T[];
  /** Why websockify has no (or fewer) samples, for the row's note. */
  websockifyNote: string | null;
}

export async function sampleThreeWays<T>(
  runs: number,
  wsk: WebsockifyFound,
  once: { ours(): Promise<T>; raw(): Promise<T>; websockify(path: string): Promise<T> },
  warmups = 1,
): Promise<ThreeWaySamples<T>> {
  const samples: ThreeWaySamples<T> = { ours: [], raw: [], websockify: [], websockifyNote: wsk.note };
  // Runs of each first, not counted: the first transfers of a process run before V8 has
  // optimised its hot path (the lab's 16 KiB transfers went from about 200 to 500 MiB/s over
  // their first six runs of 64 MiB); a class's server runs for an hour.
  for (let w = 0; w < warmups; w++) {
    await once.ours();
    await once.raw();
    if (wsk.path) await once.websockify(wsk.path).catch(() => undefined);
  }
  for (let r = 0; r < runs; r++) {
    samples.ours.push(await once.ours());
    samples.raw.push(await once.raw());
    if (!wsk.path) continue;
    try {
      samples.websockify.push(await once.websockify(wsk.path));
    } catch (err) {
      samples.websockifyNote = `websockify failed: ${(err as Error).message}`;
    }
  }
  return samples;
}
