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
  for (let i = 0; i < 100; i++) b.add(7, 1);
  b.add(9, 10);
  assert.deepEqual(sent, []);
  assert.equal(queued.length, 1, 'one flush scheduled, not one per read');
  endOfTurn();
  assert.deepEqual(sent, [[7, 100], [9, 10]]);
  b.add(7, 5);
  endOfTurn();
  assert.deepEqual(sent.at(-1), [7, 5]);
});

test('a socket whose credit reaches the batch size is credited at once', () => {
  const { b, sent, endOfTurn } = batcher();
  b.add(3, CREDIT_BATCH_BYTES - 1);
  assert.deepEqual(sent, []);
  b.add(3, 1);
  assert.deepEqual(sent, [[3, CREDIT_BATCH_BYTES]]);
  b.add(3, 2 * CREDIT_BATCH_BYTES);
  assert.deepEqual(sent.at(-1), [3, 2 * CREDIT_BATCH_BYTES]);
  endOfTurn();
  assert.equal(sent.length, 2, 'nothing left to send at the end of the turn');
});

test('a read that leaves nothing unread waits for the end of the turn too, so a reply in the same turn carries it', () => {
  const { b, sent, queued, endOfTurn } = batcher();
  b.add(4, 64);
  assert.deepEqual(sent, [], 'no message of its own');
  assert.equal(b.take(4), 64, 'the data frame answering it takes the credit');
  endOfTurn();
  assert.deepEqual(sent, [], 'nothing left for the end of the turn');
  b.add(4, 64);
  assert.equal(queued.length, 1);
  endOfTurn();
  assert.deepEqual(sent, [[4, 64]], 'no reply: credited at the end of the turn');
});

test('flush before a program shows something: what it read is on its way first', () => {
  const { b, sent, endOfTurn } = batcher();
  b.flush();
  assert.deepEqual(sent, [], 'nothing gathered, nothing sent');
  b.add(2, 5);
  b.flush();
  assert.deepEqual(sent, [[2, 5]]);
  endOfTurn();
  assert.equal(sent.length, 1);
});

test('take hands over one socket\'s gathered credit for its data frame', () => {
  const { b, sent, endOfTurn } = batcher();
  b.add(1, 7);
  b.add(2, 8);
  assert.equal(b.take(1), 7);
  assert.equal(b.take(1), 0);
  endOfTurn();
  assert.deepEqual(sent, [[2, 8]]);
});

test('flush sends everything now; clear drops it', () => {
  const { b, sent, endOfTurn } = batcher();
  b.add(1, 10);
  b.flush();
  assert.deepEqual(sent, [[1, 10]]);
  b.add(1, 10);
  b.clear();
  endOfTurn();
  assert.equal(sent.length, 1);
});
