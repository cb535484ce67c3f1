import { test } from 'vitest';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { AJV_OPTIONS, answerBadInput } from './route-validation.ts';

/** A server with the API's Ajv options and one route whose params and query have a schema. */
async function server() {
  const app = Fastify({ ajv: AJV_OPTIONS });
  app.get(
    '/items/:id',
    {
      schema: {
        params: { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]+$' } } },
        querystring: { type: 'object', properties: { limit: { type: 'integer' }, sort: { enum: ['up', 'down'] } } },
      },
      errorHandler: answerBadInput(),
    },
    async (req) => ({ query: req.query }),
  );
  app.get('/broken', { schema: { params: { type: 'object' } }, errorHandler: answerBadInput() }, async () => {
    throw new Error('not a validation error');
  });
  await app.ready();
  return app;
}

test('bad params and queries answer 400 {error} naming the part and the field', async () => {
  const app = await server();
  const params = await app.inject('/items/abc');
  assert.equal(params.statusCode, 400);
  assert.deepEqual(params.json(), { error: 'params/id must match pattern "^[0-9]+$"' });
  const sort = await app.inject('/items/1?sort=sideways');
  assert.deepEqual(sort.json(), { error: 'querystring/sort must be equal to one of the allowed values: up, down' });
  // No coercion: a query's number stays text, so an integer field refuses it.
  const limit = await app.inject('/items/1?limit=5');
  assert.deepEqual(limit.json(), { error: 'querystring/limit must be integer' });
  const good = await app.inject('/items/1?sort=up');
  assert.equal(good.statusCode, 200);
  assert.deepEqual(good.json(), { query: { sort: 'up' } });
  await app.close();
});

test('any other error goes on to Fastify\'s own handler', async () => {
  const app = await server();
  const res = await app.inject('/broken');
  assert.equal(res.statusCode, 500);
  assert.equal(res.json().message, 'not a validation error');
  await app.close();
});
