// The worker's channel client against a scripted server: the `again` loop with what is left
// of a timeout, recv buffering, send then flush, Ctrl-C, and a channel that is gone. Each
// test runs twice, once per driver (synchronous requests, and promises over the WebSocket):
// the same requests and the same outcomes.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { decodeSyncFrame, encodeSyncFrame, SYNC_RECV_CHUNK_BYTES } from '../../shared/sync-protocol.ts';
import { TIMED_OUT } from '../../shared/socket-errors.ts';
import { SEND_CHUNK_BYTES, SyncTransport, type ChannelSteps, type SyncOutcome, type SyncPost, type SyncReplyBytes } from './sync-transport.ts';

type Driver = 'blocking' | 'suspending';
const DRIVERS: Driver[] = ['blocking', 'suspending'];

/** A test once per driver; run() settles a call's steps with that driver. */
function bothWays(name: string, body: (driver: Driver) => Promise<void>): void {
  for (const driver of DRIVERS) test(`${name} (${driver})`, () => body(driver));
}

interface Seen {
  request: Record<string, unknown>;
  payload: Uint8Array;
}

/** A server that answers from a script; each answer may move the clock (a held request). */
function scripted(driver: Driver, answers: { status?: number; message: unknown; payload?: Uint8Array; heldMs?: number }[]) {
  const seen: Seen[] = [];
  let clockMs = 0;
  const answer = (body: Uint8Array): SyncReplyBytes => {
    const frame = decodeSyncFrame(body);
    assert.ok(typeof frame !== 'string');
    seen.push({ request: frame.message as Record<string, unknown>, payload: frame.payload });
    const next = answers.shift();
    assert.ok(next, `no answer scripted for ${JSON.stringify(frame.message)}`);
    clockMs += next.heldMs ?? 0;
    return { status: next.status ?? 200, body: encodeSyncFrame(next.message, next.payload) };
  };
  const post: SyncPost = (url, body) => {
    assert.equal(url, '/api/sync/TOKEN');
    const frame = decodeSyncFrame(body);
    // Only the Ctrl-C poll is synchronous on both ways (Python is running when it asks).
    const op = typeof frame === 'string' ? null : (frame.message as { op: string }).op;
    assert.ok(driver === 'blocking' || op === 'signal', `a synchronous ${op} request while suspending`);
    return answer(body);
  };
  const socketPost = (body: Uint8Array) => Promise.resolve().then(() => answer(body));
  const transport = new SyncTransport('/api/sync/TOKEN', post, () => clockMs, socketPost);
  const run = async (steps: ChannelSteps): Promise<SyncOutcome> => transport.settle(steps, driver === 'suspending');
  return { transport, run, seen, left: () => answers.length };
}

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

bothWays('a blocking accept asks again until answered; each request carries what is left of the timeout', async (driver) => {
  const { transport, run, seen } = scripted(driver, [
    { message: { again: true }, heldMs: 2000 },
    { message: { again: true }, heldMs: 2000 },
    { message: { ok: { sock: 7, fd: 4, addr: ['127.0.0.1', 50000] } }, heldMs: 300 },
  ]);
  const outcome = await run(transport.call({ op: 'accept', sock: 3, timeoutMs: 5000 }));
  assert.deepEqual(outcome, { kind: 'ok', value: { sock: 7, fd: 4, addr: ['127.0.0.1', 50000] }, payload: new Uint8Array(0) });
  assert.deepEqual(
    seen.map((s) => (s.request.call as { timeoutMs: number }).timeoutMs),
    [5000, 3000, 1000],
  );
});

bothWays('no timeout: asks again for as long as it takes; a timeout that has run out is TimeoutError', async (driver) => {
  const forever = scripted(driver, [{ message: { again: true }, heldMs: 2000 }, { message: { again: true }, heldMs: 2000 }, { message: { ok: null } }]);
  assert.equal((await forever.run(forever.transport.call({ op: 'connect', sock: 3, host: '10.1.0.3', port: 80, timeoutMs: null }))).kind, 'ok');
  assert.deepEqual(forever.seen.map((s) => (s.request.call as { timeoutMs: unknown }).timeoutMs), [null, null, null]);
  const expiring = scripted(driver, [{ message: { again: true }, heldMs: 2600 }]);
  assert.deepEqual(await expiring.run(expiring.transport.call({ op: 'accept', sock: 3, timeoutMs: 2500 })), { kind: 'err', error: TIMED_OUT });
  assert.equal(expiring.left(), 0);
});

bothWays('recv takes a chunk from the server and serves small reads from it without a round trip', async (driver) => {
  const { transport, run, seen } = scripted(driver, [
    { message: { ok: 'data' }, payload: bytes('Hello from server\n') },
    { message: { ok: 'eof' } },
  ]);
  const first = await run(transport.recv(5, 8, null));
  assert.equal(first.kind === 'ok' && text(first.payload), 'Hello fr');
  assert.equal(seen[0]!.request.max, SYNC_RECV_CHUNK_BYTES);
  assert.equal(transport.buffered(5), 10);
  // Ready for select at once: nothing to ask the server when only this socket is asked about.
  assert.deepEqual(await run(transport.select([5], [], null)), { kind: 'ok', value: { read: [5], write: [] }, payload: new Uint8Array(0) });
  // Served here: settled without a promise, whichever way (Python needs no run_sync).
  const second = transport.settle(transport.recv(5, 4, null), driver === 'suspending');
  assert.ok(!(second instanceof Promise));
  assert.equal(second.kind === 'ok' && text(second.payload), 'om s');
  const third = await run(transport.recv(5, 1024, null));
  assert.equal(third.kind === 'ok' && text(third.payload), 'erver\n');
  assert.equal(seen.length, 1);
  assert.equal(transport.buffered(5), 0);
  assert.deepEqual(await run(transport.recv(5, 1024, null)), { kind: 'ok', value: 'eof', payload: new Uint8Array(0) });
});

bothWays('a closed socket drops what it held', async (driver) => {
  const { transport, run } = scripted(driver, [{ message: { ok: 'data' }, payload: bytes('abcdef') }]);
  await run(transport.recv(9, 2, null));
  transport.forget(9);
  assert.equal(transport.buffered(9), 0);
});

bothWays('send carries the bytes once; after `again` it waits with flush', async (driver) => {
  const { transport, run, seen } = scripted(driver, [{ message: { again: true }, heldMs: 2000 }, { message: { ok: null } }]);
  const data = bytes('ping');
  const sending = run(transport.send(4, data, null));
  data.fill(0); // the caller's buffer (Pyodide's memory) may change once the call has returned
  assert.equal((await sending).kind, 'ok');
  assert.deepEqual(seen.map((s) => [s.request.op, text(s.payload)]), [['send', 'ping'], ['flush', '']]);
  assert.throws(() => transport.send(4, new Uint8Array(SEND_CHUNK_BYTES + 1), null), RangeError);
});

bothWays('errors, Ctrl-C, a channel that is gone, a server out of reach', async (driver) => {
  const refused = { type: 'ConnectionRefusedError', errno: 111, msg: 'Connection refused' };
  const { transport, run } = scripted(driver, [
    { message: { err: refused } },
    { message: { interrupted: true } },
    { message: { interrupted: true } },
    { message: { ok: null } },
    { status: 410, message: { gone: 'the program has ended' } },
    { status: 400, message: { error: "unknown request 'x'" } },
  ]);
  let heard = 0;
  transport.onInterrupted = () => heard++;
  assert.deepEqual(await run(transport.call({ op: 'connect', sock: 3, host: '127.0.0.1', port: 1, timeoutMs: null })), { kind: 'err', error: refused });
  assert.deepEqual(await run(transport.stdin()), { kind: 'interrupted' });
  assert.equal(transport.signalPending(), true);
  assert.equal(transport.signalPending(), false);
  assert.equal(heard, 2);
  assert.deepEqual(await run(transport.stdin()), { kind: 'gone' });
  assert.deepEqual(await run(transport.stdin()), { kind: 'failed', message: "unknown request 'x'" });
  const nowhere = async () => ({ status: 0, body: new Uint8Array(0) });
  const unreachable = new SyncTransport('/api/sync/TOKEN', () => ({ status: 0, body: new Uint8Array(0) }), undefined, nowhere);
  assert.equal((await unreachable.settle(unreachable.stdin(), driver === 'suspending')).kind, 'failed');
});

bothWays('each answer but an option call tells that the server looked for a pending Ctrl-C', async (driver) => {
  const { transport, run } = scripted(driver, [
    { message: { ok: null } },
    { message: { ok: 1 } },
    { message: { again: true } },
    { status: 429, message: { code: 'too-fast', error: 'slow down' } },
  ]);
  let checked = 0;
  transport.onCtrlCChecked = () => checked++;
  await run(transport.call({ op: 'listen', sock: 3, backlog: 5 }));
  assert.equal(checked, 1);
  await run(transport.call({ op: 'getsockopt', sock: 3, level: 6, name: 1 }));
  assert.equal(checked, 1, 'an option call passes a pending Ctrl-C by');
  await run(transport.call({ op: 'accept', sock: 3, timeoutMs: null }));
  assert.equal(checked, 2, 'again, then refused: only the first was looked at');
});

bothWays('sleep is a select on nothing, asked again until the time is up', async (driver) => {
  const { transport, run, seen } = scripted(driver, [
    { message: { again: true }, heldMs: 2000 },
    { message: { ok: { read: [], write: [] } }, heldMs: 500 },
  ]);
  assert.equal((await run(transport.sleep(2500))).kind, 'ok');
  assert.deepEqual(seen.map((s) => [s.request.op, s.request.timeoutMs]), [['select', 2500], ['select', 500]]);
  assert.equal((await run(transport.sleep(0))).kind, 'ok'); // no request at all
  assert.equal(seen.length, 2);
});

test('without a WebSocket, settle blocks even when Python could wait on a promise', () => {
  let posts = 0;
  const transport = new SyncTransport('/api/sync/TOKEN', () => {
    posts++;
    return { status: 200, body: encodeSyncFrame({ ok: null }) };
  });
  assert.equal(transport.suspends, false);
  const outcome = transport.settle(transport.stdin(), true);
  assert.ok(!(outcome instanceof Promise));
  assert.equal(posts, 1);
});
