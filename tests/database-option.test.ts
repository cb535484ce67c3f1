// npm start with a --database it refuses: exit code 2, the reason, and never the password,
// from the real server process (server/store/database-url.test.ts has the parsing's cases).

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const SECRET = 'do-not-print-me-42';

function start(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts', '--port', '0', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, ...env },
  });
}

test('a --database that is not PostgreSQL stops start-up naming the option, without the password', () => {
  const run = start(['--database', `mysql://root:${SECRET}@db.school/lab`]);
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /^socket-lab: --database: 'mysql:' databases are not supported; give a PostgreSQL URL/m);
  assert.ok(!run.stderr.includes(SECRET) && !run.stdout.includes(SECRET), run.stderr);
  assert.doesNotMatch(run.stdout, /is running/);
});

test('SOCKET_LAB_DATABASE is checked the same way, and named', () => {
  const run = start([], { SOCKET_LAB_DATABASE: `postgres://lab:${SECRET}@db.school` });
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /^socket-lab: SOCKET_LAB_DATABASE: the URL names no database/m);
  assert.ok(!run.stderr.includes(SECRET), run.stderr);
});
