// Every teacher route is in the teacher's scope (server/http/teacher-scope.ts): without the
// token, or with a wrong one, each answers 401 and does nothing. The routes are read from
// Fastify's own route table, so a teacher route added later is tested too.

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { TEACHER_API_PREFIX } from '../server/http/teacher-scope.ts';
import { startLabServer, TEST_TEACHER_TOKEN, type TestLabServer } from './support/lab-server.ts';

let server: TestLabServer;
beforeAll(async () => {
  server = await startLabServer({ revealAnswers: false });
});
afterAll(() => server.close());

/** Every route as [method, path], from the tree Fastify prints (`└── segment (METHODS)` lines). */
function routeTable(printed: string): [string, string][] {
  const routes: [string, string][] = [];
  const pathAtDepth: string[] = [];
  for (const line of printed.split('\n')) {
    const m = /^(.*?── )(\S+) \(([^)]*)\)$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4 - 1;
    const path = (depth > 0 ? pathAtDepth[depth - 1]! : '') + m[2]!;
    pathAtDepth[depth] = path;
    for (const method of m[3]!.split(', ')) routes.push([method, path]);
  }
  return routes;
}

test('every route under /api/teacher refuses a request without the token, or with a wrong one', async () => {
  const routes = routeTable(server.app.printRoutes({ commonPrefix: false }));
  assert.ok(routes.some(([method, path]) => method === 'POST' && path === '/api/labs'), 'the table was read');
  const teacherRoutes = routes.filter(([method, path]) => path.startsWith(`${TEACHER_API_PREFIX}/`) && method !== 'HEAD');
  assert.deepEqual(
    teacherRoutes.map(([method, path]) => `${method} ${path}`).sort(),
    [
      'DELETE /api/teacher/labs/:code',
      'GET /api/teacher/checks',
      'GET /api/teacher/checks.csv',
      'GET /api/teacher/events',
      'GET /api/teacher/snapshot',
      'POST /api/teacher/reveal',
    ],
  );
  const code = await server.createLab();
  for (const [method, route] of teacherRoutes) {
    const path = route.replace(':code', code);
    const body = method === 'POST' ? '{"revealAnswers":true}' : undefined;
    const headers: Record<string, string> = body ? { 'content-type': 'application/json' } : {};
    for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${TEST_TEACHER_TOKEN}`]) {
      const res = await fetch(`${server.baseUrl}${path}?token=wrong-token`, {
        method,
        headers: authorization ? { ...headers, authorization } : headers,
        body,
      });
      assert.equal(res.status, 401, `${method} ${path} with ${authorization ?? 'no authorization'}`);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer');
      assert.match(((await res.json()) as { error: string }).error, /teacher's token is missing or wrong/);
    }
  }
  // Nothing happened: the lab is still there and the answers are still hidden.
  assert.equal((await fetch(`${server.baseUrl}/api/labs/${code}`)).status, 200);
  assert.deepEqual(await (await fetch(`${server.baseUrl}/api/settings`)).json(), { revealAnswers: false });
});

test('the token in the query opens the live feed alone', async () => {
  const snapshot = await fetch(`${server.baseUrl}/api/teacher/snapshot?token=${TEST_TEACHER_TOKEN}`);
  assert.equal(snapshot.status, 401);
  const abort = new AbortController();
  const feed = await fetch(`${server.baseUrl}/api/teacher/events?token=${TEST_TEACHER_TOKEN}`, { signal: abort.signal });
  assert.equal(feed.status, 200);
  abort.abort();
});
