// Every teacher route is in the teacher's scope (server/http/teacher-scope.ts): without a
// token, or with a wrong one, each answers 401 and does nothing; a class teacher's token is
// refused (403) on the administrator's routes and on another class. The routes are read from
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
      'GET /api/teacher/classes',
      'GET /api/teacher/events',
      'GET /api/teacher/labs/:code',
      'GET /api/teacher/me',
      'GET /api/teacher/snapshot',
      'POST /api/teacher/classes',
      'POST /api/teacher/reveal',
    ],
  );
  const code = await server.createLab();
  for (const [method, route] of teacherRoutes) {
    const path = route.replace(':code', code);
    const body = method === 'POST' ? (route.endsWith('/classes') ? '{"name":"made without a token"}' : '{"revealAnswers":true}') : undefined;
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
  // Nothing happened: the lab is still there, the answers are still hidden, no class was made.
  assert.equal((await fetch(`${server.baseUrl}/api/labs/${code}`)).status, 200);
  assert.deepEqual(await (await fetch(`${server.baseUrl}/api/settings`)).json(), { revealAnswers: false });
  assert.deepEqual(server.classes.all().map((c) => c.name), ['Default class']);
});

test("a class teacher's token is refused on the administrator's routes and on another class", async () => {
  const one = server.classes.create('Scope one');
  const two = server.classes.create('Scope two');
  const asOne = { authorization: `Bearer ${one.token}` };
  const admin = await fetch(`${server.baseUrl}${TEACHER_API_PREFIX}/classes`, { headers: asOne });
  assert.equal(admin.status, 403);
  assert.match(((await admin.json()) as { error: string }).error, /only the administrator's token/);
  const make = await fetch(`${server.baseUrl}${TEACHER_API_PREFIX}/classes`, {
    method: 'POST',
    headers: { ...asOne, 'content-type': 'application/json' },
    body: '{"name":"made by a class teacher"}',
  });
  assert.equal(make.status, 403);
  for (const path of ['/snapshot', '/checks', '/checks.csv', '/me']) {
    const res = await fetch(`${server.baseUrl}${TEACHER_API_PREFIX}${path}?class=${two.id}`, { headers: asOne });
    assert.equal(res.status, 403, path);
    assert.match(((await res.json()) as { error: string }).error, /cannot see another class/);
  }
  const reveal = await fetch(`${server.baseUrl}${TEACHER_API_PREFIX}/reveal?class=${two.id}`, {
    method: 'POST',
    headers: { ...asOne, 'content-type': 'application/json' },
    body: '{"revealAnswers":true}',
  });
  assert.equal(reveal.status, 403);
  assert.equal(server.classes.get(two.id)!.revealAnswers, false, "the other class's switch did not move");
  // Its own class, named or not, it reaches.
  assert.equal((await fetch(`${server.baseUrl}${TEACHER_API_PREFIX}/snapshot?class=${one.id}`, { headers: asOne })).status, 200);
  assert.equal((await fetch(`${server.baseUrl}${TEACHER_API_PREFIX}/snapshot`, { headers: asOne })).status, 200);
  assert.deepEqual(server.classes.all().map((c) => c.name), ['Default class', 'Scope one', 'Scope two']);
  // One lab's card (what another instance of a school fetches): its class's teacher and the
  // administrator see it; another class's teacher is told no such lab exists.
  const inTwo = server.registry.create(two.id).code;
  const card = (headers: Record<string, string>) => fetch(`${server.baseUrl}${TEACHER_API_PREFIX}/labs/${inTwo}`, { headers });
  assert.equal((await card(asOne)).status, 404);
  assert.equal(((await (await card({ authorization: `Bearer ${two.token}` })).json()) as { code: string }).code, inTwo);
  assert.equal((await card({ authorization: `Bearer ${TEST_TEACHER_TOKEN}` })).status, 200);
});

test('the token in the query opens the live feed alone', async () => {
  const snapshot = await fetch(`${server.baseUrl}/api/teacher/snapshot?token=${TEST_TEACHER_TOKEN}`);
  assert.equal(snapshot.status, 401);
  const abort = new AbortController();
  const feed = await fetch(`${server.baseUrl}/api/teacher/events?token=${TEST_TEACHER_TOKEN}`, { signal: abort.signal });
  assert.equal(feed.status, 200);
  abort.abort();
});
