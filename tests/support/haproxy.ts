// HAProxy for a test, with the shipped configuration (deploy/haproxy.cfg) and the addresses
// given through its environment variables: a free loopback port in front, the test's
// instances behind, fast health checks. Debian's binary (apt package `haproxy`); .ci/run
// installs it. Server state changes are read from HAProxy's log on stderr, so a test waits on
// "lab1 is DOWN" rather than on a timer; stop ends the process.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { awaitDaemonStart } from './daemon-start.ts';
import { freePort } from './free-port.ts';
import { processLines } from './process-lines.ts';

export const HAPROXY_CONFIG = fileURLToPath(new URL('../../deploy/haproxy.cfg', import.meta.url));
/** The server names of deploy/haproxy.cfg's backend, in order. */
export const HAPROXY_SERVERS = ['lab1', 'lab2'] as const;
/** Health checks this often in tests: an instance closed is marked down (two misses) in well under a second. */
const TEST_CHECK_MS = 100;
const START_LIMIT_MS = 15_000;
const START_TRIES = 3;

export type ServerState = 'UP' | 'DOWN';

export interface TestHaproxy {
  port: number;
  baseUrl: string;
  pid: number;
  /** Resolves when HAProxy logs the server (lab1, lab2) as this state, or at once if it last logged it. */
  waitServer(name: string, state: ServerState): Promise<void>;
  stop(): Promise<void>;
}

export function haproxyBinary(): string {
  const path = process.env.SOCKET_LAB_HAPROXY ?? '/usr/sbin/haproxy';
  if (!existsSync(path)) throw new Error(`HAProxy is not at ${path}: install Debian's package with 'apt-get install haproxy' (.ci/run does), or set SOCKET_LAB_HAPROXY`);
  return path;
}

/**
 * HAProxy in front of the instances (HOST:PORT each, as lab1, lab2), all marked up before it
 * resolves. `checkMs`: between health checks (tests: 100; the bench keeps the shipped 2 s, so
 * that an instance busy under load is not marked down).
 */
export async function startHaproxy(instances: readonly string[], options: { checkMs?: number } = {}): Promise<TestHaproxy> {
  if (instances.length !== HAPROXY_SERVERS.length) throw new Error(`deploy/haproxy.cfg has ${HAPROXY_SERVERS.length} instances`);
  const binary = haproxyBinary();
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await startOn(binary, port, instances, options.checkMs ?? TEST_CHECK_MS);
    } catch (err) {
      if (attempt >= START_TRIES || !/cannot bind|Address already in use/.test(String(err))) throw err;
    }
  }
}

async function startOn(binary: string, port: number, instances: readonly string[], checkMs: number): Promise<TestHaproxy> {
  const env = {
    ...process.env,
    SOCKET_LAB_BIND: `127.0.0.1:${port}`,
    SOCKET_LAB_CHECK_MS: String(checkMs),
    ...Object.fromEntries(instances.map((address, i) => [`SOCKET_LAB_INSTANCE_${i + 1}`, address])),
  };
  // -db: in the foreground, no daemon; the log (global `log stderr`) on stderr.
  const child: ChildProcess = spawn(binary, ['-db', '-f', HAPROXY_CONFIG], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const states = new Map<string, ServerState>();
  const waiters: { name: string; state: ServerState; resolve(): void }[] = [];
  const log: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  processLines(child.stderr!, (line) => {
    log.push(line);
    // "Server socket_lab_instances/lab1 is DOWN, reason: Layer4 connection problem, ..."
    const m = /Server \S+\/(\S+) is (UP|DOWN)/.exec(line);
    if (!m) return;
    states.set(m[1]!, m[2] as ServerState);
    for (const w of [...waiters]) {
      if (w.name === m[1] && w.state === m[2]) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const haproxy: TestHaproxy = {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    waitServer(name, state) {
      if (states.get(name) === state) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ name, state, resolve }));
    },
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
  // HAProxy starts its servers as up and logs only changes, so there is no line saying it
  // is ready: the start is confirmed by a request through it that an instance answers.
  // The asking stops with the process (a failed start is killed): the port may be another's next.
  const asking = new AbortController();
  void exited.then(() => asking.abort());
  const answered = untilAnswered(`http://127.0.0.1:${port}/healthz`, asking.signal);
  await awaitDaemonStart(child, { name: 'HAProxy', awaited: 'mark its servers up', log, limitMs: START_LIMIT_MS, ready: answered });
  return haproxy;
}

/** Fetches until the answer is 200 (HAProxy's listener may not be bound yet at the first try), or until `signal` says stop. */
async function untilAnswered(url: string, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    const ok = await fetch(url, { signal }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`stopped asking ${url}: HAProxy ended`);
}
