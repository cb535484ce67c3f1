// Sparse bytes: all-zero pages dropped and put back, whatever the length and alignment.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { fromSparse, SPARSE_PAGE_BYTES, toSparse } from './sparse-bytes.ts';

test('keeps only the pages that are not all zeros, and gives the same bytes back', () => {
  const bytes = new Uint8Array(SPARSE_PAGE_BYTES * 5 + 7);
  bytes[3] = 1; // page 0
  bytes[SPARSE_PAGE_BYTES * 3 + SPARSE_PAGE_BYTES - 1] = 2; // last byte of page 3
  bytes[bytes.length - 1] = 3; // the short last page
  const sparse = toSparse(bytes);
  assert.deepEqual([...sparse.pages], [0, 3, 5]);
  assert.equal(sparse.data.byteLength, SPARSE_PAGE_BYTES * 2 + 7);
  assert.deepEqual(fromSparse(sparse), bytes);
});

test('all zeros, nothing at all, and a view at an odd offset', () => {
  assert.deepEqual(fromSparse(toSparse(new Uint8Array(SPARSE_PAGE_BYTES * 2))), new Uint8Array(SPARSE_PAGE_BYTES * 2));
  assert.equal(toSparse(new Uint8Array(SPARSE_PAGE_BYTES * 2)).data.byteLength, 0);
  assert.deepEqual(fromSparse(toSparse(new Uint8Array(0))), new Uint8Array(0));
  const odd = new Uint8Array(SPARSE_PAGE_BYTES * 2 + 1).subarray(1);
  odd[SPARSE_PAGE_BYTES + 5] = 9;
  assert.deepEqual(fromSparse(toSparse(odd)), odd);
});

test('parts that do not fit together are refused', () => {
  const bytes = new Uint8Array(SPARSE_PAGE_BYTES * 3).fill(1);
  const sparse = toSparse(bytes);
  assert.throws(() => fromSparse({ ...sparse, data: sparse.data.subarray(1) }), /do not fit/);
  assert.throws(() => fromSparse({ ...sparse, pages: Uint32Array.from([0, 0, 1]) }), /do not fit/);
  assert.throws(() => fromSparse({ ...sparse, pages: Uint32Array.from([0, 1, 9]) }), /do not fit/);
});
