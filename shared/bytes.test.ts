import { test } from 'vitest';
import assert from 'node:assert/strict';
import { asciiBytes, bytesEqual, concatBytes, indexOfByte, startsWithBytes } from './bytes.ts';

const b = (...xs: number[]) => Uint8Array.from(xs);

test('concatBytes joins in order and copies', () => {
  const a = b(1, 2);
  const joined = concatBytes(a, b(3));
  assert.deepEqual([...joined], [1, 2, 3]);
  a[0] = 9;
  assert.equal(joined[0], 1);
  assert.deepEqual([...concatBytes(b(), b())], []);
});

test('indexOfByte finds from a position', () => {
  const data = b(10, 65, 10);
  assert.equal(indexOfByte(data, 10), 0);
  assert.equal(indexOfByte(data, 10, 1), 2);
  assert.equal(indexOfByte(data, 10, 3), -1);
  assert.equal(indexOfByte(data, 66), -1);
});

test('startsWithBytes', () => {
  assert.equal(startsWithBytes(b(1, 2, 3), b(1, 2)), true);
  assert.equal(startsWithBytes(b(1, 2, 3), b()), true);
  assert.equal(startsWithBytes(b(1, 2), b(1, 2, 3)), false);
  assert.equal(startsWithBytes(b(1, 3), b(1, 2)), false);
});

test('asciiBytes encodes ASCII and rejects the rest', () => {
  assert.deepEqual([...asciiBytes('MOVE 5\n')], [77, 79, 86, 69, 32, 53, 10]);
  assert.deepEqual([...asciiBytes('\x7f')], [0x7f]);
  assert.throws(() => asciiBytes('caf\u00e9'), /non-ASCII character U\+00E9 at index 3/);
});

test('bytesEqual', () => {
  assert.equal(bytesEqual(b(1, 2), b(1, 2)), true);
  assert.equal(bytesEqual(b(), b()), true);
  assert.equal(bytesEqual(b(1, 2), b(1, 3)), false);
  assert.equal(bytesEqual(b(1), b(1, 2)), false);
});
