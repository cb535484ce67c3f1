import { test } from 'vitest';
import assert from 'node:assert/strict';
import {
  DATA_FRAME_HEADER_BYTES,
  decodeDataFrame,
  decodePageFrame,
  encodeDataFrame,
  encodePageFrame,
  MAX_DATA_FRAME_PAYLOAD_BYTES,
  PAGE_FRAME_HEADER_BYTES,
} from './data-frame.ts';

test('server frames round-trip, and malformed ones are named', () => {
  const payload = new Uint8Array([1, 2, 3]);
  assert.deepEqual(decodeDataFrame(encodeDataFrame(0xfffffffe, payload)), { sock: 0xfffffffe, payload });
  assert.equal(decodeDataFrame(new Uint8Array(DATA_FRAME_HEADER_BYTES - 1)), 'binary frame shorter than its header');
  assert.equal(decodeDataFrame(encodeDataFrame(1, new Uint8Array(0))), 'empty data frame');
  assert.equal(decodeDataFrame(Uint8Array.of(7, 0, 0, 0, 1, 65)), 'unknown binary frame kind 7');
});

test('page frames carry credit and the ack-now flag', () => {
  const payload = new Uint8Array([9, 8]);
  assert.deepEqual(decodePageFrame(encodePageFrame(5, payload, 1234, false)), { sock: 5, payload, credit: 1234, ackNow: false });
  assert.deepEqual(decodePageFrame(encodePageFrame(5, payload, 0, true)), { sock: 5, payload, credit: 0, ackNow: true });
  // No payload: a request for the acknowledgement, or a credit alone; never nothing at all.
  assert.deepEqual(decodePageFrame(encodePageFrame(6, new Uint8Array(0), 0, true)), { sock: 6, payload: new Uint8Array(0), credit: 0, ackNow: true });
  assert.equal((decodePageFrame(encodePageFrame(6, new Uint8Array(0), 10, false)) as { credit: number }).credit, 10);
  assert.equal(decodePageFrame(encodePageFrame(6, new Uint8Array(0), 0, false)), 'empty data frame');
  assert.equal(decodePageFrame(new Uint8Array(PAGE_FRAME_HEADER_BYTES - 1)), 'binary frame shorter than its header');
  assert.equal(decodePageFrame(encodePageFrame(1, new Uint8Array(MAX_DATA_FRAME_PAYLOAD_BYTES + 1), 0, false)), `data frame over ${MAX_DATA_FRAME_PAYLOAD_BYTES} bytes`);
  const kind3 = encodePageFrame(1, payload, 0, false);
  kind3[0] = 3;
  assert.equal(decodePageFrame(kind3), 'unknown binary frame kind 3');
});

test('a frame read from inside a larger buffer decodes from its own offset', () => {
  const frame = encodePageFrame(77, new Uint8Array([4, 5, 6]), 3, false);
  const big = new Uint8Array(frame.length + 10);
  big.set(frame, 10);
  assert.deepEqual(decodePageFrame(big.subarray(10)), { sock: 77, payload: new Uint8Array([4, 5, 6]), credit: 3, ackNow: false });
});
