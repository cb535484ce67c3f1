// The bench agents as the relay benches use them: two real child processes, a raw TCP link
// between them, a stream sent and read to its end, and ping-pong against an echo.

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { AgentPool } from './agent-pool.ts';
import { labWay, rawWay } from './links.ts';
import { startLabServer } from '../../tests/support/lab-server.ts';

let pool: AgentPool;
beforeAll(() => {
  pool = AgentPool.start(2);
});
afterAll(() => pool.stop());

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

test("closing everything ends a lab chat without reporting its end as an error, and the next window is clean", async () => {
  const server = await startLabServer();
  try {
    const way = labWay(pool, server.baseUrl, await server.createLab(), 'close-all');
    const { a, b } = await way.link(0);
    await a.agent.ask('echo', { key: a.key });
    await b.agent.ask('chat', { key: b.key, periodMs: 10 });
    await way.close();
    for (const agent of pool.agents) {
      await agent.ask('openWindow', {});
      // A round trip through the agent after its sockets' ends have been seen.
      await agent.ask('openWindow', {});
      assert.deepEqual(await agent.ask('closeWindow', {}), { samples: [], silent: 0, errors: [] });
    }
  } finally {
    await server.close();
  }
});
