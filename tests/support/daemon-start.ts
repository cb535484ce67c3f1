// Waits for a daemon a test harness has spawned (HAProxy, PostgreSQL) to be ready, or fails
// its start: the process ended (exit or spawn error), or not ready within a limit. A failed
// start is killed, and its error carries the log lines collected so far, since that is where
// the daemon says why (the harnesses retry on another port when it says the bind failed).
// What "ready" means is the daemon's own (a log line, an answered request): `ready` resolves
// then. The listeners added here are removed once the start is settled.

import type { ChildProcess } from 'node:child_process';

export interface DaemonStart {
  /** The daemon's name in the errors: "NAME exited at start (CODE|SIGNAL)". */
  name: string;
  /** What the daemon failed to do in time, after "NAME did not …": 'start', 'mark its servers up'. */
  awaited: string;
  /** The daemon's log lines, filled by the caller as they come: copied into a start error. */
  log: readonly string[];
  /** How long the start may take. */
  limitMs: number;
  /** Resolves when the daemon is ready; a rejection fails the start. */
  ready: Promise<void>;
}

export function awaitDaemonStart(child: ChildProcess, start: DaemonStart): Promise<void> {
  const { name, awaited, log, limitMs, ready } = start;
  return new Promise<void>((resolve, reject) => {
    const stopWatching = () => {
      clearTimeout(timer);
      child.removeListener('error', fail);
      child.removeListener('exit', exitedAtStart);
    };
    const fail = (err: Error) => {
      // Killed before the listeners go: a kill that cannot be sent is an 'error' still handled here.
      child.kill('SIGKILL');
      stopWatching();
      reject(new Error(`${err.message}\n${log.join('\n')}`));
    };
    const exitedAtStart = (code: number | null, signal: string | null) => fail(new Error(`${name} exited at start (${code ?? signal})`));
    const timer = setTimeout(() => fail(new Error(`${name} did not ${awaited} within ${limitMs} ms`)), limitMs);
    child.once('error', fail);
    child.once('exit', exitedAtStart);
    ready.then(() => {
      stopWatching();
      resolve();
    }, fail);
  });
}
