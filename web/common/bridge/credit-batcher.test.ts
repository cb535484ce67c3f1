import { test } from 'vitest';
import assert from 'node:assert/strict';
import { CREDIT_BATCH_BYTES, CreditBatcher } from './credit-batcher.ts';

function batcher() {
  const sent: [number, number][] = [];
  const queued: (() => void)[] = [];
  const b = new CreditBatcher((sock, bytes) => sent.push([sock, bytes]), (fn) => queued.push(fn));
  const endOfTurn = () => queued.splice(0).forEach((fn) => fn());
  return { b, sent, queued, endOfTurn };
}

test('reads within one turn become one credit per socket at its end', () => {
  const { b, sent, queued, endOfTurn } = batcher();
  for (let i = 0; i < 100; i++) b.add(7, 1, false);
  b.add(9, 10, false);
  assert.deepEqual(sent, []);
  assert.equal(queued.length, 1, 'one flush scheduled, not one per read');
  endOfTurn();
  assert.deepEqual(sent, [[7, 100], [9, 10]]);
  b.add(7, 5, false);
  endOfTurn();
  assert.deepEqual(sent.at(-1), [7, 5]);
});

test('a socket whose credit reaches the batch size is credited at once', () => {
  const { b, sent, endOfTurn } = batcher();
  b.add(3, CREDIT_BATCH_BYTES - 1, false);
  assert.deepEqual(sent, []);
  b.add(3, 1, false);
  assert.deepEqual(sent, [[3, CREDIT_BATCH_BYTES]]);
  b.add(3, 2 * CREDIT_BATCH_BYTES, false);
  assert.deepEqual(sent.at(-1), [3, 2 * CREDIT_BATCH_BYTES]);
  endOfTurn();
  assert.equal(sent.length, 2, 'nothing left to send at the end of the turn');
});

test('a read that leaves nothing unread is credited at once, with what was gathered', () => {
  const { b, sent, queued } = batcher();
  b.add(4, 3, false);
  b.add(4, 2, true);
  assert.deepEqual(sent, [[4, 5]]);
  assert.equal(b.take(4), 0);
  assert.equal(queued.length, 1);
});

test('take hands over one socket\'s gathered credit for its data frame', () => {
  const { b, sent, endOfTurn } = batcher();
  b.add(1, 7, false);
  b.add(2, 8, false);
  assert.equal(b.take(1), 7);
  assert.equal(b.take(1), 0);
  endOfTurn();
  assert.deepEqual(sent, [[2, 8]]);
});

test('flush sends everything now; clear drops it', () => {
  const { b, sent, endOfTurn } = batcher();
  b.add(1, 10, false);
  b.flush();
  assert.deepEqual(sent, [[1, 10]]);
  b.add(1, 10, false);
  b.clear();
  endOfTurn();
  assert.equal(sent.length, 1);
});
