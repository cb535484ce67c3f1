// The bench agents as the relay benches use them: two real child processes, a raw TCP link
// between them, a stream sent and read to its end, and ping-pong against an echo.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentPool } from './agent-pool.ts';
import { rawWay } from './links.ts';

let pool: AgentPool;
before(() => {
  pool = AgentPool.start(2);
});
after(() => pool.stop());

test('a stream goes from one agent to the other whole', async () => {
  const way = rawWay(pool);
  const { a, b } = await way.link(0);
  assert.notEqual(a.agent, b.agent);
  const total = 4 * 1024 * 1024;
  await Promise.all([b.agent.ask('send', { key: b.key, size: 16 * 1024, total }), a.agent.ask('read', { key: a.key, total })]);
  await way.close();
});

test('ping-pong gives one round trip per round, after the warm-up', async () => {
  const way = rawWay(pool);
  const { a, b } = await way.link(0);
  await a.agent.ask('echo', { key: a.key });
  const samples = await b.agent.ask('ping', { key: b.key, size: 64, rounds: 20, warmup: 3 });
  assert.equal(samples.length, 20);
  assert.ok(samples.every((ms) => ms > 0));
  await way.close();
});

test('an agent answers a bad request with an error, not silence', async () => {
  await assert.rejects(pool.at(0).ask('read', { key: 'e-none', total: 1 }), /no endpoint e-none/);
});
