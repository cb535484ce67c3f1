// The harnesses of the tests of several instances leave nothing behind: PostgreSQL's process
// and folder, HAProxy's process, the server's processes and data folder (tests/support/
// postgres.ts, haproxy.ts, server-process.ts).

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import pg from 'pg';
import { postgresBinDir, startPostgres } from './support/postgres.ts';
import { haproxyBinary, startHaproxy } from './support/haproxy.ts';
import { startLabServer } from './support/lab-server.ts';
import { alive, startServerProcess } from './support/server-process.ts';

test('a PostgreSQL cluster runs unprivileged, answers, and is gone with its folder after stop', async () => {
  const cluster = await startPostgres();
  try {
    assert.ok(alive(cluster.pid));
    if (process.getuid?.() === 0) assert.notEqual(statSync(cluster.dir).uid, 0, 'as root, the folder is the unprivileged user’s');
    const client = new pg.Client({ connectionString: await cluster.newDatabase() });
    await client.connect();
    const { rows } = await client.query<{ user: string }>('SELECT current_user AS user');
    await client.end();
    assert.equal(rows[0]!.user, 'socketlab');
  } finally {
    await cluster.stop();
  }
  assert.equal(alive(cluster.pid), false);
  assert.equal(existsSync(cluster.dir), false);
});

test('HAProxy is gone after stop', async () => {
  const a = await startLabServer();
  const b = await startLabServer();
  const haproxy = await startHaproxy([`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`]);
  try {
    assert.equal((await fetch(`${haproxy.baseUrl}/healthz`)).status, 200);
  } finally {
    await haproxy.stop();
    await a.close();
    await b.close();
  }
  assert.equal(alive(haproxy.pid), false);
});

test('a server process is gone with its data folder: killed (one process), or stopped (a front and its workers)', async () => {
  const one = await startServerProcess({ workers: 1 });
  assert.equal((await fetch(`${one.baseUrl}/healthz`)).status, 200);
  assert.deepEqual(one.workerPids, []);
  await one.kill();
  assert.equal(alive(one.pid), false);
  assert.equal(existsSync(one.dataDir), false);

  const two = await startServerProcess({ workers: 2 });
  assert.equal(two.workerPids.length, 2);
  const code = await two.createLab();
  assert.ok(two.workerPids.includes((await two.workerOf(code)).pid), 'a lab answered by one of the printed workers');
  await two.stop();
  for (const pid of [two.pid, ...two.workerPids]) assert.equal(alive(pid), false, `process ${pid} is gone`);
  assert.equal(existsSync(two.dataDir), false);
}, 120_000);

test('a missing PostgreSQL or HAProxy is named with the Debian package to install', () => {
  const saved = { pg: process.env.SOCKET_LAB_PG_BIN, haproxy: process.env.SOCKET_LAB_HAPROXY };
  try {
    process.env.SOCKET_LAB_PG_BIN = '/nonexistent/bin';
    process.env.SOCKET_LAB_HAPROXY = '/nonexistent/haproxy';
    assert.throws(() => postgresBinDir(), /apt-get install postgresql/);
    assert.throws(() => haproxyBinary(), /apt-get install haproxy/);
  } finally {
    for (const [name, value] of [['SOCKET_LAB_PG_BIN', saved.pg], ['SOCKET_LAB_HAPROXY', saved.haproxy]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
});
