// The worker's channel client against a scripted server: the `again` loop with what is left
// of a timeout, recv buffering, send then flush, Ctrl-C, and a channel that is gone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSyncFrame, encodeSyncFrame, SYNC_RECV_CHUNK_BYTES } from '../../shared/sync-protocol.ts';
import { TIMED_OUT } from '../../shared/socket-errors.ts';
import { SEND_CHUNK_BYTES, SyncTransport, type SyncPost } from './sync-transport.ts';

interface Seen {
  request: Record<string, unknown>;
  payload: Uint8Array;
}

/** A server that answers from a script; each answer may move the clock (a held request). */
function scripted(answers: { status?: number; message: unknown; payload?: Uint8Array; heldMs?: number }[]) {
  const seen: Seen[] = [];
  let clockMs = 0;
  const post: SyncPost = (url, body) => {
    assert.equal(url, '/api/sync/TOKEN');
    const frame = decodeSyncFrame(body);
    assert.ok(typeof frame !== 'string');
    seen.push({ request: frame.message as Record<string, unknown>, payload: frame.payload });
    const answer = answers.shift();
    assert.ok(answer, `no answer scripted for ${JSON.stringify(frame.message)}`);
    clockMs += answer.heldMs ?? 0;
    return { status: answer.status ?? 200, body: encodeSyncFrame(answer.message, answer.payload) };
  };
  const transport = new SyncTransport('/api/sync/TOKEN', post, () => clockMs);
  return { transport, seen, left: () => answers.length };
}

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

test('a blocking accept asks again until answered; each request carries what is left of the timeout', () => {
  const { transport, seen } = scripted([
    { message: { again: true }, heldMs: 2000 },
    { message: { again: true }, heldMs: 2000 },
    { message: { ok: { sock: 7, fd: 4, addr: ['127.0.0.1', 50000] } }, heldMs: 300 },
  ]);
  const outcome = transport.call({ op: 'accept', sock: 3, timeoutMs: 5000 });
  assert.deepEqual(outcome, { kind: 'ok', value: { sock: 7, fd: 4, addr: ['127.0.0.1', 50000] }, payload: new Uint8Array(0) });
  assert.deepEqual(
    seen.map((s) => (s.request.call as { timeoutMs: number }).timeoutMs),
    [5000, 3000, 1000],
  );
});

test('no timeout: asks again for as long as it takes; a timeout that has run out is TimeoutError', () => {
  const forever = scripted([{ message: { again: true }, heldMs: 2000 }, { message: { again: true }, heldMs: 2000 }, { message: { ok: null } }]);
  assert.equal(forever.transport.call({ op: 'connect', sock: 3, host: '10.1.0.3', port: 80, timeoutMs: null }).kind, 'ok');
  assert.deepEqual(forever.seen.map((s) => (s.request.call as { timeoutMs: unknown }).timeoutMs), [null, null, null]);
  const expiring = scripted([{ message: { again: true }, heldMs: 2600 }]);
  assert.deepEqual(expiring.transport.call({ op: 'accept', sock: 3, timeoutMs: 2500 }), { kind: 'err', error: TIMED_OUT });
  assert.equal(expiring.left(), 0);
});

test('recv takes a chunk from the server and serves small reads from it without a round trip', () => {
  const { transport, seen } = scripted([
    { message: { ok: 'data' }, payload: bytes('Hello from server\n') },
    { message: { ok: 'eof' } },
  ]);
  const first = transport.recv(5, 8, null);
  assert.equal(first.kind === 'ok' && text(first.payload), 'Hello fr');
  assert.equal(seen[0]!.request.max, SYNC_RECV_CHUNK_BYTES);
  assert.equal(transport.buffered(5), 10);
  // Ready for select at once: nothing to ask the server when only this socket is asked about.
  assert.deepEqual(transport.select([5], [], null), { kind: 'ok', value: { read: [5], write: [] }, payload: new Uint8Array(0) });
  const second = transport.recv(5, 4, null);
  assert.equal(second.kind === 'ok' && text(second.payload), 'om s');
  const third = transport.recv(5, 1024, null);
  assert.equal(third.kind === 'ok' && text(third.payload), 'erver\n');
  assert.equal(seen.length, 1);
  assert.equal(transport.buffered(5), 0);
  assert.deepEqual(transport.recv(5, 1024, null), { kind: 'ok', value: 'eof', payload: new Uint8Array(0) });
});

test('a closed socket drops what it held', () => {
  const { transport } = scripted([{ message: { ok: 'data' }, payload: bytes('abcdef') }]);
  transport.recv(9, 2, null);
  transport.forget(9);
  assert.equal(transport.buffered(9), 0);
});

test('send carries the bytes once; after `again` it waits with flush', () => {
  const { transport, seen } = scripted([{ message: { again: true }, heldMs: 2000 }, { message: { ok: null } }]);
  assert.equal(transport.send(4, bytes('ping'), null).kind, 'ok');
  assert.deepEqual(seen.map((s) => [s.request.op, text(s.payload)]), [['send', 'ping'], ['flush', '']]);
  assert.throws(() => transport.send(4, new Uint8Array(SEND_CHUNK_BYTES + 1), null), RangeError);
});

test('errors, Ctrl-C, a channel that is gone, a server out of reach', () => {
  const refused = { type: 'ConnectionRefusedError', errno: 111, msg: 'Connection refused' };
  const { transport } = scripted([
    { message: { err: refused } },
    { message: { interrupted: true } },
    { message: { interrupted: true } },
    { message: { ok: null } },
    { status: 410, message: { gone: 'the program has ended' } },
    { status: 400, message: { error: "unknown request 'x'" } },
  ]);
  let heard = 0;
  transport.onInterrupted = () => heard++;
  assert.deepEqual(transport.call({ op: 'connect', sock: 3, host: '127.0.0.1', port: 1, timeoutMs: null }), { kind: 'err', error: refused });
  assert.deepEqual(transport.stdin(), { kind: 'interrupted' });
  assert.equal(transport.signalPending(), true);
  assert.equal(transport.signalPending(), false);
  assert.equal(heard, 2);
  assert.deepEqual(transport.stdin(), { kind: 'gone' });
  assert.deepEqual(transport.stdin(), { kind: 'failed', message: "unknown request 'x'" });
  const unreachable = new SyncTransport('/api/sync/TOKEN', () => ({ status: 0, body: new Uint8Array(0) }));
  assert.equal(unreachable.stdin().kind, 'failed');
});

test('sleep is a select on nothing, asked again until the time is up', () => {
  const { transport, seen } = scripted([
    { message: { again: true }, heldMs: 2000 },
    { message: { ok: { read: [], write: [] } }, heldMs: 500 },
  ]);
  assert.equal(transport.sleep(2500).kind, 'ok');
  assert.deepEqual(seen.map((s) => [s.request.op, s.request.timeoutMs]), [['select', 2500], ['select', 500]]);
  assert.equal(transport.sleep(0).kind, 'ok'); // no request at all
  assert.equal(seen.length, 2);
});
