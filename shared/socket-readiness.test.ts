import { test } from 'node:test';
import assert from 'node:assert/strict';
import { socketReadiness, type ReadinessFacts } from './socket-readiness.ts';

const quiet: ReadinessFacts = { state: 'connected', acceptQueued: 0, received: 0, ended: false, failed: false, sendRoom: false };

test('a connected socket: readable on bytes, end of stream or an error; writable with room or an error', () => {
  assert.deepEqual(socketReadiness(quiet), { readable: false, writable: false });
  assert.deepEqual(socketReadiness({ ...quiet, received: 1 }), { readable: true, writable: false });
  assert.deepEqual(socketReadiness({ ...quiet, ended: true }), { readable: true, writable: false });
  assert.deepEqual(socketReadiness({ ...quiet, sendRoom: true }), { readable: false, writable: true });
  assert.deepEqual(socketReadiness({ ...quiet, failed: true }), { readable: true, writable: true });
});

test('a listener is readable with a connection queued, never writable', () => {
  assert.deepEqual(socketReadiness({ ...quiet, state: 'listening' }), { readable: false, writable: false });
  assert.deepEqual(socketReadiness({ ...quiet, state: 'listening', acceptQueued: 2, sendRoom: true }), { readable: true, writable: false });
});

test('a connect under way is neither; a socket not connected is both (as Linux: its calls fail at once)', () => {
  assert.deepEqual(socketReadiness({ ...quiet, state: 'connecting', sendRoom: true }), { readable: false, writable: false });
  for (const state of ['fresh', 'bound'] as const) assert.deepEqual(socketReadiness({ ...quiet, state }), { readable: true, writable: true });
});
