import { test } from 'vitest';
import assert from 'node:assert/strict';
import { POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDHUP, socketReadiness, tcpPoll, type ReadinessFacts } from './socket-readiness.ts';

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

test("tcp_poll: the peer's end is POLLIN|POLLRDHUP; with this side shut for writing too, POLLHUP", () => {
  const room = { ...quiet, sendRoom: true };
  assert.equal(tcpPoll(room), POLLOUT);
  assert.equal(tcpPoll({ ...room, received: 3 }), POLLIN | POLLOUT);
  assert.equal(tcpPoll({ ...room, ended: true }), POLLIN | POLLRDHUP | POLLOUT);
  assert.equal(tcpPoll({ ...room, ended: true, writeShut: true }), POLLIN | POLLRDHUP | POLLOUT | POLLHUP);
  // Shut for writing only: writable (a send fails at once), not hung up, even with a full window.
  assert.equal(tcpPoll({ ...quiet, writeShut: true }), POLLOUT);
  // A full window: nothing.
  assert.equal(tcpPoll(quiet), 0);
});

test('tcp_poll: a reset is POLLERR until reported, and hung up both ways for good', () => {
  const reset = POLLIN | POLLRDHUP | POLLOUT | POLLHUP;
  assert.equal(tcpPoll({ ...quiet, reset: true, failed: true }), reset | POLLERR);
  assert.equal(tcpPoll({ ...quiet, reset: true }), reset);
  assert.deepEqual(socketReadiness({ ...quiet, reset: true }), { readable: true, writable: true });
});

test('tcp_poll: not connected is POLLHUP|POLLOUT (TCP_CLOSE), with POLLERR while SO_ERROR is pending', () => {
  for (const state of ['fresh', 'bound'] as const) {
    assert.equal(tcpPoll({ ...quiet, state }), POLLHUP | POLLOUT);
    assert.equal(tcpPoll({ ...quiet, state, failed: true }), POLLHUP | POLLOUT | POLLERR);
    // Its connect failed: shut both ways, so at its end too.
    assert.equal(tcpPoll({ ...quiet, state, ended: true, failed: true }), POLLHUP | POLLOUT | POLLERR | POLLIN | POLLRDHUP);
  }
  assert.equal(tcpPoll({ ...quiet, state: 'connecting', sendRoom: true }), 0);
  assert.equal(tcpPoll({ ...quiet, state: 'listening', acceptQueued: 1 }), POLLIN);
  assert.equal(tcpPoll({ ...quiet, state: 'listening' }), 0);
});
