// The start of a daemon the harnesses spawn (tests/support/daemon-start.ts, used by
// haproxy.ts and postgres.ts), with real Node processes standing in for the daemon: ready,
// exited at start with its log in the error, never ready within the limit, not spawned at
// all, and a readiness check that fails. A failed start is killed; the listeners are removed.
// (Here rather than beside the helper: tests/support/ is in no vitest project.)

import { onTestFinished, test } from 'vitest';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { awaitDaemonStart } from './support/daemon-start.ts';
import { processLines } from './support/process-lines.ts';

/** Short, since never being ready within it is what one test is about. */
const NEVER_READY_LIMIT_MS = 300;
/** Long enough for any start here: those tests end on an event, not on this. */
const START_LIMIT_MS = 30_000;
const READY_LINE = /ready to serve/;

interface StandIn {
  child: ChildProcess;
  log: string[];
  /** The child's exit (code, signal), awaited from its spawn on. */
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  /** Resolves on the first stderr line that matches. */
  lineMatching(pattern: RegExp): Promise<void>;
}

/** A Node process running `script`, its stderr lines collected; killed when the test ends. */
function standIn(script: string): StandIn {
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'ignore', 'pipe'] });
  const log: string[] = [];
  const waiters: { pattern: RegExp; resolve(): void }[] = [];
  processLines(child.stderr!, (line) => {
    log.push(line);
    for (const w of waiters.filter((w) => w.pattern.test(line))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  // Kept for the child's life (not `once`), so the listener counts a test compares stay put.
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (code, signal) => resolve([code, signal])));
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return {
    child,
    log,
    exited,
    lineMatching: (pattern) => new Promise((resolve) => waiters.push({ pattern, resolve })),
  };
}

function listenerCounts(child: ChildProcess): { error: number; exit: number } {
  return { error: child.listenerCount('error'), exit: child.listenerCount('exit') };
}

test('resolves when the daemon is ready, leaves it running and its listeners as they were', async () => {
  const daemon = standIn("console.error('warming up'); console.error('ready to serve'); setInterval(() => {}, 60_000);");
  const before = listenerCounts(daemon.child);
  await awaitDaemonStart(daemon.child, { name: 'Stand-in', awaited: 'start', log: daemon.log, limitMs: START_LIMIT_MS, ready: daemon.lineMatching(READY_LINE) });
  assert.deepEqual(listenerCounts(daemon.child), before);
  assert.equal(daemon.child.exitCode, null);
  assert.equal(daemon.child.signalCode, null);
  assert.deepEqual(daemon.log, ['warming up', 'ready to serve']);
});

test('an exit at start fails with its code and the log lines, which say why', async () => {
  // The stand-in exits once its line is read (its stdin ended), so the line is in the log by then.
  const daemon = standIn("console.error('bind: Address already in use'); process.stdin.on('end', () => process.exit(3)).resume();");
  void daemon.lineMatching(/Address already in use/).then(() => daemon.child.stdin!.end());
  const before = listenerCounts(daemon.child);
  const never = new Promise<void>(() => {});
  await assert.rejects(awaitDaemonStart(daemon.child, { name: 'Stand-in', awaited: 'start', log: daemon.log, limitMs: START_LIMIT_MS, ready: never }), {
    message: 'Stand-in exited at start (3)\nbind: Address already in use',
  });
  assert.deepEqual(await daemon.exited, [3, null]);
  assert.deepEqual(listenerCounts(daemon.child), before);
});

test('a daemon not ready within the limit is killed, and the error says what it did not do', async () => {
  const daemon = standIn('setInterval(() => {}, 60_000);');
  const before = listenerCounts(daemon.child);
  const never = new Promise<void>(() => {});
  const start = awaitDaemonStart(daemon.child, { name: 'Stand-in', awaited: 'mark its servers up', log: daemon.log, limitMs: NEVER_READY_LIMIT_MS, ready: never });
  await assert.rejects(start, (err: Error) => err.message.startsWith(`Stand-in did not mark its servers up within ${NEVER_READY_LIMIT_MS} ms\n`));
  assert.deepEqual(await daemon.exited, [null, 'SIGKILL']);
  assert.deepEqual(listenerCounts(daemon.child), before);
});

test('a daemon that cannot be spawned fails with the spawn error', async () => {
  const child = spawn('/nonexistent/socket-lab-daemon', [], { stdio: ['ignore', 'ignore', 'pipe'] });
  const never = new Promise<void>(() => {});
  await assert.rejects(awaitDaemonStart(child, { name: 'Stand-in', awaited: 'start', log: [], limitMs: START_LIMIT_MS, ready: never }), {
    message: 'spawn /nonexistent/socket-lab-daemon ENOENT\n',
  });
});

test('a readiness check that fails fails the start and kills the daemon', async () => {
  const daemon = standIn("console.error('up'); setInterval(() => {}, 60_000);");
  await daemon.lineMatching(/up/);
  const refused = Promise.reject(new Error('the health check was refused'));
  await assert.rejects(awaitDaemonStart(daemon.child, { name: 'Stand-in', awaited: 'start', log: daemon.log, limitMs: START_LIMIT_MS, ready: refused }), {
    message: 'the health check was refused\nup',
  });
  assert.deepEqual(await daemon.exited, [null, 'SIGKILL']);
});
