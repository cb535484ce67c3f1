// deploy/start-school.sh, as an administrator runs it to try a school on one machine: the
// script starts PostgreSQL, two instances and HAProxy (on free ports, through its variables);
// one instance killed leaves the others running, the script says so and HAProxy's answers
// come from the other; Ctrl-C (SIGINT) stops everything it started, PostgreSQL included.
// Needs Debian's postgresql and haproxy (.ci/run installs them) and the built page (npm test
// builds first; the script is told not to build again).

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, isPortFree } from './support/free-port.ts';
import { processLines } from './support/process-lines.ts';
import { INSTANCE_HEADER } from '../server/http/instance-header.ts';

const SCRIPT = fileURLToPath(new URL('../deploy/start-school.sh', import.meta.url));
/** initdb, two instances and HAProxy: about 15 s here, more on a busy machine. */
const START_LIMIT_MS = 120_000;
/** HAProxy marks an instance down after two failed checks (deploy/haproxy.cfg: 2 s apart). */
const FAILOVER_LIMIT_MS = 30_000;

/** Two consecutive free loopback ports (the script puts the instances on FIRST and FIRST + 1). */
async function twoFreePorts(): Promise<number> {
  for (;;) {
    const first = await freePort();
    if (await isPortFree(first + 1)) return first;
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('start-school.sh: an instance killed leaves the rest serving; Ctrl-C stops everything', { timeout: 4 * 60_000 }, async () => {
  const folder = mkdtempSync(join(tmpdir(), 'socket-lab-school-'));
  // As root the script runs PostgreSQL as Debian's postgres user, who must reach the folder.
  chmodSync(folder, 0o755);
  let pgPort: number, firstPort: number, haproxyPort: number;
  do [pgPort, firstPort, haproxyPort] = [await freePort(), await twoFreePorts(), await freePort()];
  while (new Set([pgPort, firstPort, firstPort + 1, haproxyPort]).size < 4);
  const child = spawn('bash', [SCRIPT, folder], {
    env: {
      ...process.env,
      SOCKET_LAB_BIND: `127.0.0.1:${haproxyPort}`,
      SOCKET_LAB_PG_PORT: String(pgPort),
      SOCKET_LAB_FIRST_PORT: String(firstPort),
      SOCKET_LAB_SKIP_BUILD: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const waiters: { pattern: RegExp; resolve(m: RegExpExecArray): void }[] = [];
  const onLine = (line: string) => {
    output.push(line);
    for (const w of [...waiters]) {
      const m = w.pattern.exec(line);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  processLines(child.stdout!, onLine);
  processLines(child.stderr!, onLine);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  /** The first line (from now on, or already written) matching `pattern`, within `ms`. */
  const line = (pattern: RegExp, ms: number, what: string) => {
    const seen = output.map((l) => pattern.exec(l)).find(Boolean);
    if (seen) return Promise.resolve(seen);
    return new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what}: no line ${pattern} within ${ms} ms; the script wrote:\n${output.join('\n')}`)), ms);
      const ended = () => reject(new Error(`${what}: the script ended; it wrote:\n${output.join('\n')}`));
      void exited.then(ended);
      waiters.push({ pattern, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  };
  let pids: number[] = [];
  try {
    const [, lab1, lab2, haproxy] = (await line(/^The processes: lab1 (\d+), lab2 (\d+), HAProxy (\d+)$/, START_LIMIT_MS, 'the start')).map(Number);
    pids = [lab1!, lab2!, haproxy!];
    const base = `http://127.0.0.1:${haproxyPort}`;
    const answeredBy = async () => {
      const res = await fetch(`${base}/healthz`);
      await res.arrayBuffer();
      return res.ok ? res.headers.get(INSTANCE_HEADER) : null;
    };
    assert.match(String(await answeredBy()), /^lab[12]$/);

    process.kill(lab1!, 'SIGKILL');
    await line(/^start-school: instance lab1 ended \(its log: .*\); HAProxy sends its labs to the other instance$/, 10_000, 'the script on lab1');
    // Until HAProxy has marked lab1 down a request may still go there and fail; then every
    // answer is lab2's. Each poll waits on a request, not on a timer.
    const deadline = Date.now() + FAILOVER_LIMIT_MS;
    let streak = 0;
    while (streak < 5) {
      if (Date.now() > deadline) throw new Error(`HAProxy did not send every request to lab2 within ${FAILOVER_LIMIT_MS} ms`);
      streak = (await answeredBy().catch(() => null)) === 'lab2' ? streak + 1 : 0;
    }
    assert.ok(alive(lab2!) && alive(haproxy!), 'lab2 and HAProxy still run');
    assert.equal(child.exitCode, null, 'the script still runs');

    child.kill('SIGINT');
    assert.equal(await exited, 130);
    assert.ok(!alive(lab2!) && !alive(haproxy!), 'lab2 and HAProxy stopped');
    // PostgreSQL stopped too (the script's pg_ctl stop): its port is free again.
    assert.equal(await isPortFree(pgPort), true, `PostgreSQL's port ${pgPort} is free again`);
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGINT');
      await exited;
    }
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(folder, { recursive: true, force: true });
  }
});
