import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ACK_BATCH_BYTES } from '../../shared/data-frame.ts';
import { errnoError } from '../../shared/socket-errors.ts';
import { AckBatcher } from './ack-batcher.ts';

function batcher() {
  const sent: unknown[][] = [];
  return { sent, acks: new AckBatcher((sock, bytes, err) => sent.push(err ? [sock, bytes, err.errno] : [sock, bytes])) };
}

test('small writes are gathered until a batch is full', () => {
  const { sent, acks } = batcher();
  const n = 1000;
  let total = 0;
  while (total + n < ACK_BATCH_BYTES) {
    acks.received(1, n, false);
    acks.written(1, n);
    total += n;
  }
  assert.deepEqual(sent, []);
  acks.received(1, n, false);
  acks.written(1, n);
  assert.deepEqual(sent, [[1, total + n]]);
});

test('a frame asking for its acknowledgement gets it when written, with what was gathered before', () => {
  const { sent, acks } = batcher();
  acks.received(4, 10, false);
  acks.received(4, 20, true);
  acks.written(4, 10);
  assert.deepEqual(sent, [], 'not yet: the asking frame is not written');
  acks.written(4, 20);
  assert.deepEqual(sent, [[4, 30]]);
  // After that, lazy again.
  acks.received(4, 5, false);
  acks.written(4, 5);
  assert.deepEqual(sent, [[4, 30]]);
});

test('an empty asking frame flushes what is already written, or the next write', () => {
  const { sent, acks } = batcher();
  acks.received(2, 7, false);
  acks.written(2, 7);
  acks.received(2, 0, true);
  assert.deepEqual(sent, [[2, 7]]);
  acks.received(2, 3, false);
  acks.received(2, 0, true);
  assert.equal(sent.length, 1);
  acks.written(2, 3);
  assert.deepEqual(sent.at(-1), [2, 3]);
});

test('an error is sent at once with what was gathered; sockets are apart', () => {
  const { sent, acks } = batcher();
  acks.received(1, 5, false);
  acks.written(1, 5);
  acks.received(2, 9, false);
  acks.written(2, 9);
  acks.received(1, 6, false);
  acks.written(1, 6, errnoError('EPIPE'));
  assert.deepEqual(sent, [[1, 11, 32]]);
  acks.forget(2);
  acks.received(2, 0, true);
  assert.equal(sent.length, 1, 'a forgotten socket has nothing gathered');
});
