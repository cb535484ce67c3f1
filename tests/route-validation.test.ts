// Bad input to the API's JSON routes, over a real server: each is refused 400 with
// `{ error }` saying what is wrong (server/http/route-validation.ts), nothing is changed, types
// are never coerced ("true" is not true, 5 is not "5"), and the server goes on serving.

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { startLabServer, TEST_TEACHER_TOKEN, type TestLabServer } from './support/lab-server.ts';

let server: TestLabServer;
beforeAll(async () => {
  server = await startLabServer({ revealAnswers: false });
});
afterAll(() => server.close());

const AS_TEACHER = { authorization: `Bearer ${TEST_TEACHER_TOKEN}` };

function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

async function refusal(res: Response): Promise<string> {
  assert.equal(res.status, 400);
  const body = (await res.json()) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body), ['error']);
  return body.error as string;
}

test('the reveal switch takes a boolean and nothing else', async () => {
  for (const value of ['"yes"', '"true"', '1', '0', 'null']) {
    const error = await refusal(await post('/api/teacher/reveal', `{"revealAnswers":${value}}`, AS_TEACHER));
    assert.equal(error, 'send {"revealAnswers": true} or {"revealAnswers": false}: body/revealAnswers must be boolean', value);
  }
  assert.match(await refusal(await post('/api/teacher/reveal', '{}', AS_TEACHER)), /body must have required property 'revealAnswers'$/);
  assert.match(await refusal(await post('/api/teacher/reveal', '[true]', AS_TEACHER)), /body must be object$/);
  assert.deepEqual(await (await fetch(`${server.baseUrl}/api/settings`)).json(), { revealAnswers: false }, 'nothing changed');
  // Still serving, and a good request still works.
  assert.equal((await fetch(`${server.baseUrl}/healthz`)).status, 200);
  const on = await post('/api/teacher/reveal', '{"revealAnswers":false}', AS_TEACHER);
  assert.deepEqual(await on.json(), { revealAnswers: false });
});

test('a Check report says which field is wrong, with the allowed values', async () => {
  const code = await server.createLab();
  const key = 'device-key-for-validation';
  server.registry.get(code)!.deviceFor(key);
  const good = { device: key, question: 6, passed: true, scenarios: [{ name: 'a', passed: true }] };
  const send = (body: unknown) => post(`/api/labs/${code}/checks`, JSON.stringify(body));
  assert.equal(
    await refusal(await send({ ...good, question: 7 })),
    'send a Check report as a JSON object: body/question must be equal to one of the allowed values: 6, 8, 9, 10, 11',
  );
  assert.match(await refusal(await send({ ...good, device: 12345678 })), /body\/device must be string$/);
  assert.match(await refusal(await send({ ...good, passed: 'true' })), /body\/passed must be boolean$/);
  assert.match(await refusal(await send({ ...good, scenarios: [{ name: 'a', passed: 1 }] })), /body\/scenarios\/0\/passed must be boolean$/);
  assert.match(await refusal(await send({ ...good, at: '2024' })), /body\/at must be number$/);
  assert.equal(server.store!.checkResults().filter((r) => r.lab === code).length, 0, 'nothing kept');
  assert.equal((await send(good)).status, 201);
});

test('invalid JSON keeps Fastify\'s own 400', async () => {
  const res = await post('/api/teacher/reveal', '{"revealAnswers":', AS_TEACHER);
  assert.equal(res.status, 400);
  assert.equal(((await res.json()) as { code: string }).code, 'FST_ERR_CTP_INVALID_JSON_BODY');
  assert.equal((await fetch(`${server.baseUrl}/healthz`)).status, 200);
});
