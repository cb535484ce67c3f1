import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ByteQueue } from './byte-queue.ts';

const bytes = (...values: number[]) => new Uint8Array(values);

test('takes in order, at most max, across chunk boundaries', () => {
  const q = new ByteQueue();
  q.push(bytes(1, 2, 3));
  q.push(bytes());
  q.push(bytes(4, 5));
  assert.equal(q.length, 5);
  assert.deepEqual(q.take(2), bytes(1, 2));
  assert.deepEqual(q.take(2), bytes(3, 4));
  assert.equal(q.length, 1);
  assert.deepEqual(q.take(10), bytes(5));
  assert.deepEqual(q.take(10), bytes());
  assert.deepEqual(q.take(0), bytes());
});

test('every way of cutting the reads gives back the same bytes', () => {
  const data = Array.from({ length: 40 }, (_, i) => i);
  for (let chunk = 1; chunk <= 7; chunk++) {
    for (let read = 1; read <= 9; read++) {
      const q = new ByteQueue();
      for (let i = 0; i < data.length; i += chunk) q.push(new Uint8Array(data.slice(i, i + chunk)));
      const out: number[] = [];
      while (q.length > 0) out.push(...q.take(read));
      assert.deepEqual(out, data);
    }
  }
});
