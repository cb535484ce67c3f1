import { test } from 'vitest';
import assert from 'node:assert/strict';
import { InboundQueue } from './inbound-queue.ts';

test('recv waits for bytes, gives at most max in order, and empty once ended and drained', async () => {
  const q = new InboundQueue();
  const first = q.recv(3);
  q.push(new Uint8Array([1, 2, 3, 4]));
  assert.deepEqual(await first, new Uint8Array([1, 2, 3]));
  q.push(new Uint8Array([5]));
  q.end();
  assert.deepEqual(await q.recv(10), new Uint8Array([4, 5]));
  assert.equal((await q.recv(10)).length, 0);
});
