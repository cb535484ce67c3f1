// A school's set-up for the workers bench (issue 14, item 5): two instances of the server
// (`npm start -- --workers 1 --instance-name lab1|lab2`, the bench's limits) behind HAProxy
// with the shipped deploy/haproxy.cfg, measured at HAProxy's address as one BenchServer.
// Every console's WebSocket passes through HAProxy, which relays its bytes (unlike the front
// of --workers, which hands the connection over): that hop is part of what is measured.
//
// Store: by default a throwaway PostgreSQL (tests/support/postgres.ts, Debian's package) given
// to both instances with `--database`, as a school runs them; BENCH_HAPROXY_STORE=sqlite gives
// each instance its own SQLite store instead (a machine without PostgreSQL). A lab lives on one
// instance either way, so the store changes where labs are found, not how many consoles are
// held. With SQLite per instance a lab must be
// made on the instance its code routes to, so createLab makes it on each instance in turn
// until HAProxy routes the code back to the one that made it (two tries on average; the others
// are left unused); that works as well when the instances share a database.

import { INSTANCE_HEADER } from '../server/http/instance-header.ts';
import { HAPROXY_SERVERS, startHaproxy, type TestHaproxy } from '../tests/support/haproxy.ts';
import { startPostgres, type TestPostgres } from '../tests/support/postgres.ts';
import type { ServerProcess } from '../tests/support/server-process.ts';
import { startBenchProcess, type BenchServer } from './bench-server.ts';

/** deploy/haproxy.cfg's own health-check interval: an instance busy under load is not marked down. */
const HEALTH_CHECK_MS = 2000;
/**
 * Wrong lab codes an address may try per minute, raised: with SQLite per instance, asking
 * HAProxy where a new lab's code goes (routedTo) asks an instance that may not have it, and
 * every console comes from this one machine.
 */
const BENCH_JOIN_ATTEMPTS = 1_000_000;
/** Labs made before giving up on one whose code routes back to its maker (each try: about 1 in 2). */
const MAX_TRIES_PER_LAB = 40;

export const HAPROXY_SETUP_NAME = 'HAProxy, 2 instances';

export type SchoolStore = 'sqlite' | 'postgres';

/** The instances' store: BENCH_HAPROXY_STORE (postgres, the default, or sqlite). */
export function schoolStore(): SchoolStore {
  const store = process.env.BENCH_HAPROXY_STORE ?? 'postgres';
  if (store !== 'sqlite' && store !== 'postgres') throw new Error(`BENCH_HAPROXY_STORE: '${store}' is neither sqlite nor postgres`);
  return store;
}

/** What the rows' notes say of the store. */
export function schoolStoreNote(store: SchoolStore): string {
  return store === 'postgres' ? 'PostgreSQL shared by both (--database; its memory not counted)' : 'SQLite per instance';
}

/** Which instance (its index in deploy/haproxy.cfg) HAProxy sends a lab's requests to. */
async function routedTo(haproxy: TestHaproxy, code: string): Promise<number> {
  const res = await fetch(`${haproxy.baseUrl}/api/labs/${code}`);
  await res.arrayBuffer();
  return HAPROXY_SERVERS.indexOf(res.headers.get(INSTANCE_HEADER) as (typeof HAPROXY_SERVERS)[number]);
}

export async function startHaproxyInstances(options: { consoles: number; store: SchoolStore }): Promise<BenchServer> {
  const instances: ServerProcess[] = [];
  let haproxy: TestHaproxy | null = null;
  let postgres: TestPostgres | null = null;
  const stop = async () => {
    await haproxy?.stop();
    await Promise.all(instances.map((i) => i.stop()));
    await postgres?.stop();
  };
  try {
    let database: string[] = [];
    if (options.store === 'postgres') {
      postgres = await startPostgres();
      database = ['--database', await postgres.newDatabase()];
    }
    for (const name of HAPROXY_SERVERS) {
      // The instances see HAProxy's address as every console's: --trust-proxy counts each client by X-Forwarded-For.
      const args = ['--instance-name', name, '--trust-proxy', '127.0.0.1', '--join-attempts', String(BENCH_JOIN_ATTEMPTS), ...database];
      instances.push(await startBenchProcess({ workers: 1, consoles: options.consoles, args }));
    }
    haproxy = await startHaproxy(
      instances.map((i) => `127.0.0.1:${i.port}`),
      { checkMs: HEALTH_CHECK_MS },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  const front = haproxy;
  let next = 0;
  const pids = () => [front.pid, ...instances.map((i) => i.pid)];
  return {
    baseUrl: front.baseUrl,
    name: HAPROXY_SETUP_NAME,
    async createLab() {
      for (let tries = 0; tries < MAX_TRIES_PER_LAB; tries++) {
        const maker = next++ % instances.length;
        const code = await instances[maker]!.createLab();
        if ((await routedTo(front, code)) === maker) return code;
      }
      throw new Error(`no lab of ${MAX_TRIES_PER_LAB} made had a code that HAProxy routes back to its instance`);
    },
    workerOf: (code) => routedTo(front, code),
    pids,
    exited: () => instances.some((i) => i.exited()),
    stop,
  };
}
