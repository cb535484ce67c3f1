// The channel's frames and its WebSocket's answers; a send of the largest chunk fits one
// WebSocket frame of the lab's server.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import {
  decodeSocketAnswer,
  decodeSocketRequest,
  decodeSyncFrame,
  encodeSocketAnswer,
  encodeSocketRequest,
  parseSyncRequest,
  encodeSyncFrame,
  MAX_SYNC_REQUEST_BYTES,
  MAX_SYNC_SOCKET_MESSAGE_BYTES,
  SYNC_SEND_CHUNK_BYTES,
} from './sync-protocol.ts';

test('a request over the WebSocket is its tag and its frame; an answer, the tag, its status and its frame', () => {
  const request = decodeSocketRequest(encodeSocketRequest(2 ** 32 - 1, encodeSyncFrame({ op: 'signal' })));
  assert.ok(typeof request !== 'string');
  assert.equal(request.tag, 2 ** 32 - 1);
  assert.deepEqual(decodeSyncFrame(request.body), { message: { op: 'signal' }, payload: new Uint8Array(0) });
  assert.equal(decodeSocketRequest(new Uint8Array([1, 2, 3])), 'request shorter than its tag');
  const frame = encodeSyncFrame({ ok: 'data' }, new Uint8Array([1, 2, 3]));
  const answer = decodeSocketAnswer(encodeSocketAnswer(7, 429, frame));
  assert.ok(typeof answer !== 'string');
  assert.equal(answer.tag, 7);
  assert.equal(answer.status, 429);
  assert.deepEqual(decodeSyncFrame(answer.body), { message: { ok: 'data' }, payload: new Uint8Array([1, 2, 3]) });
  assert.equal(decodeSocketAnswer(new Uint8Array([0, 0, 0, 1, 0])), 'answer shorter than its tag and status');
});

test("a background thread's request says so with bg, which is true or absent", () => {
  assert.deepEqual(parseSyncRequest({ op: 'stdin', bg: true }), { op: 'stdin', bg: true });
  assert.deepEqual(parseSyncRequest({ op: 'stdin' }), { op: 'stdin' });
  assert.throws(() => parseSyncRequest({ op: 'stdin', bg: 1 }), /bg/);
});

test("the largest send request fits the POST's body limit and the WebSocket's frame limit", () => {
  const frame = encodeSyncFrame({ op: 'send', sock: 2 ** 32 - 1, bg: true }, new Uint8Array(SYNC_SEND_CHUNK_BYTES));
  const largest = encodeSocketRequest(2 ** 32 - 1, frame);
  assert.ok(largest.length <= MAX_SYNC_SOCKET_MESSAGE_BYTES, `${largest.length} bytes`);
  assert.ok(largest.length <= MAX_SYNC_REQUEST_BYTES);
});

test('a non-blocking send says nonBlocking: true; a poll names the sockets it watches', () => {
  assert.deepEqual(parseSyncRequest({ op: 'send', sock: 3, nonBlocking: true }), { op: 'send', sock: 3, nonBlocking: true });
  assert.deepEqual(parseSyncRequest({ op: 'send', sock: 3 }), { op: 'send', sock: 3 });
  assert.throws(() => parseSyncRequest({ op: 'send', sock: 3, nonBlocking: false }), /nonBlocking/);
  const select = { op: 'select', read: [1], write: [], timeoutMs: 0 };
  assert.deepEqual(parseSyncRequest(select), select);
  assert.deepEqual(parseSyncRequest({ ...select, watch: [1, 2] }), { ...select, watch: [1, 2] });
  assert.throws(() => parseSyncRequest({ ...select, watch: [0] }), /watch/);
});
