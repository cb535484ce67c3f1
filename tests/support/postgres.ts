// A throwaway PostgreSQL cluster for a test: initdb in a temporary folder, the server on a
// free loopback port (and a unix socket in the same folder), trust authentication, and on
// stop nothing left behind (the process ended, the folder removed). Debian's server binaries
// (apt package `postgresql`, /usr/lib/postgresql/VERSION/bin) are used; .ci/run installs them.
// PostgreSQL refuses to run as root: as root, the cluster runs as Debian's `postgres` user
// (or `nobody`), and the folder is made theirs.

import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { awaitDaemonStart } from './daemon-start.ts';
import { freePort } from './free-port.ts';
import { processLines } from './process-lines.ts';

/** The role every test connects as (the cluster's superuser, no password: trust on loopback). */
export const TEST_PG_USER = 'socketlab';
/** A cold initdb and start take about two seconds here; a busy CI machine, more. */
const START_LIMIT_MS = 30_000;
const READY_LINE = /database system is ready to accept connections/;
/** A port taken between the probe and the server's bind: tried again with another. */
const START_TRIES = 3;

export interface TestPostgres {
  /** postgres://socketlab@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** The cluster's folder (data, socket), removed by stop. */
  dir: string;
  /** The postmaster's process id. */
  pid: number;
  /** A new empty database, its URL; dropped with the cluster. */
  newDatabase(): Promise<string>;
  /** Ends the server (fast shutdown: connections cut) and removes its folder. */
  stop(): Promise<void>;
}

/** The folder of Debian's PostgreSQL server binaries (the newest version installed). */
export function postgresBinDir(): string {
  const fromEnv = process.env.SOCKET_LAB_PG_BIN;
  const install = "install Debian's package with 'apt-get install postgresql' (.ci/run does)";
  if (fromEnv) {
    if (!existsSync(join(fromEnv, 'initdb'))) throw new Error(`PostgreSQL's initdb is not in SOCKET_LAB_PG_BIN (${fromEnv}): ${install}, or fix the variable`);
    return fromEnv;
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(`PostgreSQL's server (initdb, postgres) is not in ${root}/VERSION/bin: ${install}, or set SOCKET_LAB_PG_BIN`);
  }
  return join(root, versions[0]!, 'bin');
}

/** The user a root process runs PostgreSQL as; null when not root (it runs as us). */
function unprivilegedUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n');
  for (const name of ['postgres', 'nobody']) {
    const fields = passwd.find((l) => l.startsWith(`${name}:`))?.split(':');
    if (fields) return { uid: Number(fields[2]), gid: Number(fields[3]) };
  }
  throw new Error("running as root, and neither a 'postgres' nor a 'nobody' user to run PostgreSQL as");
}

/** Starts a new cluster; the caller stops it (afterAll). */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const user = unprivilegedUser();
  const dir = mkdtempSync(join(tmpdir(), 'socket-lab-pg-'));
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  try {
    await initdb(bin, data, asUser);
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        const child = await startServer(bin, data, dir, port, asUser);
        return cluster(child, port, dir);
      } catch (err) {
        if (attempt >= START_TRIES || !/could not bind|Address already in use/.test(String(err))) throw err;
      }
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** A new cluster in `data`, its superuser TEST_PG_USER, trusted without a password (loopback only). */
function initdb(bin: string, data: string, asUser: object): Promise<void> {
  const args = ['-D', data, '-U', TEST_PG_USER, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'];
  const child = spawn(join(bin, 'initdb'), args, { ...asUser, stdio: ['ignore', 'ignore', 'pipe'] });
  const log: string[] = [];
  processLines(child.stderr!, (line) => log.push(line));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`initdb failed (${code ?? signal}): ${log.join('\n')}`))));
  });
}

async function startServer(bin: string, data: string, dir: string, port: number, asUser: object): Promise<ChildProcess> {
  // Settings for a test: nothing needs to survive a crash, so no waiting on the disk.
  const settings = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: dir,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: '60',
    shared_buffers: '16MB',
  };
  const args = ['-D', data, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const child = spawn(join(bin, 'postgres'), args, { ...asUser, stdio: ['ignore', 'ignore', 'pipe'] });
  const log: string[] = [];
  const readyLine = new Promise<void>((resolve) =>
    processLines(child.stderr!, (line) => {
      log.push(line);
      if (READY_LINE.test(line)) resolve();
    }),
  );
  await awaitDaemonStart(child, { name: 'PostgreSQL', awaited: 'start', log, limitMs: START_LIMIT_MS, ready: readyLine });
  return child;
}

function cluster(child: ChildProcess, port: number, dir: string): TestPostgres {
  const url = `postgres://${TEST_PG_USER}@127.0.0.1:${port}/postgres`;
  let databases = 0;
  // A test process that ends without stop (a crash) still ends its server.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    port,
    dir,
    pid: child.pid!,
    async newDatabase() {
      const name = `lab_test_${++databases}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return `postgres://${TEST_PG_USER}@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        // SIGINT is PostgreSQL's fast shutdown: clients are cut, nothing waits for them.
        child.kill('SIGINT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
