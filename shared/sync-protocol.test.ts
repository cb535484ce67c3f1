// The channel's frames and its WebSocket's answers; a send of the largest chunk fits one
// WebSocket frame of the lab's server.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeSocketAnswer,
  decodeSyncFrame,
  encodeSocketAnswer,
  encodeSyncFrame,
  MAX_SYNC_REQUEST_BYTES,
  MAX_SYNC_SOCKET_MESSAGE_BYTES,
  SYNC_SEND_CHUNK_BYTES,
} from './sync-protocol.ts';

test('an answer over the WebSocket is its status and its frame', () => {
  const frame = encodeSyncFrame({ ok: 'data' }, new Uint8Array([1, 2, 3]));
  const answer = decodeSocketAnswer(encodeSocketAnswer(429, frame));
  assert.ok(typeof answer !== 'string');
  assert.equal(answer.status, 429);
  assert.deepEqual(decodeSyncFrame(answer.body), { message: { ok: 'data' }, payload: new Uint8Array([1, 2, 3]) });
  assert.equal(decodeSocketAnswer(new Uint8Array([1])), 'answer shorter than its status');
});

test("the largest send request fits the POST's body limit and the WebSocket's frame limit", () => {
  const largest = encodeSyncFrame({ op: 'send', sock: 2 ** 32 - 1 }, new Uint8Array(SYNC_SEND_CHUNK_BYTES));
  assert.ok(largest.length <= MAX_SYNC_SOCKET_MESSAGE_BYTES, `${largest.length} bytes`);
  assert.ok(largest.length <= MAX_SYNC_REQUEST_BYTES);
});
