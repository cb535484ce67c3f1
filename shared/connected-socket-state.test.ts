import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ConnectedSocketState } from './connected-socket-state.ts';
import { errnoError } from './socket-errors.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const RESET = errnoError('ECONNRESET');
const REFUSED = errnoError('ECONNREFUSED');

test('recv on a socket that is not connected: EBADF closed, SO_ERROR then ENOTCONN unconnected', () => {
  const s = new ConnectedSocketState();
  assert.deepEqual(s.recv('closed', 10, false), { err: errnoError('EBADF') });
  assert.deepEqual(s.recv('unconnected', 10, false), { err: errnoError('ENOTCONN') });
  assert.deepEqual(s.recv('unconnected', 10, true), { err: errnoError('ENOTCONN') });
  let pending: typeof REFUSED | null = REFUSED;
  const take = () => {
    const err = pending;
    pending = null;
    return err;
  };
  assert.deepEqual(s.recv('unconnected', 10, false, take), { err: REFUSED });
  assert.deepEqual(s.recv('unconnected', 10, false, take), { err: errnoError('ENOTCONN') });
});

test('recv while a connect is under way: EAGAIN non-blocking, else it waits', () => {
  const s = new ConnectedSocketState();
  assert.deepEqual(s.recv('connecting', 10, true), { err: errnoError('EAGAIN') });
  assert.deepEqual(s.recv('connecting', 10, false), { wait: true });
});

test('recv returns at most n bytes, in order, across chunks', () => {
  const s = new ConnectedSocketState();
  s.arrived(bytes('Hello fr'));
  s.arrived(bytes('om server\n'));
  assert.equal(s.buffered, 18);
  assert.deepEqual(s.recv('connected', 5, false), { data: bytes('Hello') });
  assert.deepEqual(s.recv('connected', 100, false), { data: bytes(' from server\n') });
  assert.equal(s.buffered, 0);
});

test('nothing to read: EAGAIN non-blocking, else wait', () => {
  const s = new ConnectedSocketState();
  assert.equal(s.recvWouldReturn, false);
  assert.deepEqual(s.recv('connected', 10, true), { err: errnoError('EAGAIN') });
  assert.deepEqual(s.recv('connected', 10, false), { wait: true });
});

test("end of stream: bytes first, then b'' forever, even non-blocking", () => {
  const s = new ConnectedSocketState();
  s.arrived(bytes('last'));
  s.ended();
  assert.equal(s.recvWouldReturn, true);
  assert.deepEqual(s.recv('connected', 10, true), { data: bytes('last') });
  for (let i = 0; i < 3; i++) assert.deepEqual(s.recv('connected', 10, true), { eof: true });
});

test('a reset: bytes first, its error once, then end of stream', () => {
  const s = new ConnectedSocketState();
  s.arrived(bytes('ab'));
  s.reset(RESET);
  assert.equal(s.errorPending, true);
  assert.equal(s.wasReset, true);
  assert.deepEqual(s.recv('connected', 10, false), { data: bytes('ab') });
  assert.deepEqual(s.recv('connected', 10, false), { err: RESET });
  assert.equal(s.errorPending, false);
  assert.equal(s.wasReset, true);
  assert.equal(s.atEnd, true);
  assert.deepEqual(s.recv('connected', 10, false), { eof: true });
  assert.deepEqual(s.recv('connected', 10, true), { eof: true });
});

test('a reset is reported once to whichever call comes first: a send takes it from recv', () => {
  const s = new ConnectedSocketState();
  s.reset(RESET);
  assert.equal(s.sendSettled, true);
  assert.deepEqual(s.sendCheck('connected'), { err: RESET });
  // Now the server answers sends (EPIPE); recv reads the end.
  assert.equal(s.sendCheck('connected'), null);
  assert.deepEqual(s.recv('connected', 10, false), { eof: true });
});

test('send checks: EBADF closed, a connect under way waits, SO_ERROR while unconnected', () => {
  const s = new ConnectedSocketState();
  assert.deepEqual(s.sendCheck('closed'), { err: errnoError('EBADF') });
  assert.deepEqual(s.sendCheck('connecting'), { wait: true });
  assert.deepEqual(s.sendCheck('unconnected', () => REFUSED), { err: REFUSED });
  // No pending error: go on (the server's socket refuses with EPIPE).
  assert.equal(s.sendCheck('unconnected'), null);
  assert.equal(s.sendCheck('connected'), null);
});

test('an error met writing earlier bytes is every later send\'s, and ends a waiting sender', () => {
  const s = new ConnectedSocketState();
  s.handed(100);
  assert.equal(s.inFlight, 100);
  assert.equal(s.sendSettled, false);
  s.acked(100, errnoError('EPIPE'));
  assert.equal(s.sendSettled, true);
  assert.equal(s.sendFailed, true);
  assert.deepEqual(s.sendOutcome(), errnoError('EPIPE'));
  assert.deepEqual(s.sendCheck('connected'), { err: errnoError('EPIPE') });
  assert.deepEqual(s.sendCheck('connected'), { err: errnoError('EPIPE') });
});

test('the send window: in flight until acknowledged; a waiting sender is done when all are', () => {
  const s = new ConnectedSocketState();
  s.handed(300);
  s.handed(200);
  assert.equal(s.handedTotal, 500);
  s.acked(300);
  assert.equal(s.inFlight, 200);
  assert.equal(s.allAcked, false);
  s.acked(200);
  assert.equal(s.ackedTotal, 500);
  assert.equal(s.allAcked, true);
  assert.equal(s.sendOutcome(), null);
});

test('a sender waiting on its bytes meets a reset: the reset is its error, once', () => {
  const s = new ConnectedSocketState();
  s.handed(10);
  s.reset(RESET);
  assert.equal(s.sendSettled, true);
  assert.deepEqual(s.sendOutcome(), RESET);
  assert.equal(s.errorPending, false);
});

test('a non-blocking send takes what fits in the window, EAGAIN when nothing does, 0 for nothing', () => {
  const WINDOW_BYTES = 1000;
  const s = new ConnectedSocketState();
  assert.equal(s.nonBlockingSendBytes(600, WINDOW_BYTES), 600);
  s.handed(600);
  assert.equal(s.nonBlockingSendBytes(600, WINDOW_BYTES), 400);
  s.handed(400);
  assert.deepEqual(s.nonBlockingSendBytes(600, WINDOW_BYTES), { err: errnoError('EAGAIN') });
  assert.equal(s.nonBlockingSendBytes(0, WINDOW_BYTES), 0);
  s.acked(250);
  assert.equal(s.nonBlockingSendBytes(600, WINDOW_BYTES), 250);
});
