// The Python worker's synchronous channel over real HTTP: the same socket semantics as the
// console bridge, held requests answered with `again`, stdin, Ctrl-C, select.

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { decodeSyncFrame, encodeSyncFrame, type SyncRequest } from '../shared/sync-protocol.ts';
import { utf8Encode } from '../shared/utf8.ts';
import { ProgramProcess } from '../web/common/programs/program-process.ts';
import { startLabServer, type TestLabServer } from './support/lab-server.ts';

let server: TestLabServer;
beforeAll(async () => {
  server = await startLabServer();
});
afterAll(() => server.close());

function post(channel: string, body: Uint8Array): Promise<Response> {
  return fetch(`${server.baseUrl}/api/sync/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: Buffer.from(body),
  });
}

/** What the worker does with a synchronous XMLHttpRequest, done here with fetch. */
async function ask(channel: string, request: SyncRequest, payload?: Uint8Array): Promise<{ message: any; payload: Uint8Array }> {
  const res = await post(channel, encodeSyncFrame(request, payload));
  const frame = decodeSyncFrame(new Uint8Array(await res.arrayBuffer()));
  assert.ok(typeof frame !== 'string', String(frame));
  return frame as { message: any; payload: Uint8Array };
}

async function pythonProcess() {
  const code = await server.createLab();
  const session = await server.openConsole(code, `sync-${code}`);
  const { pid, channel } = await session.call({ op: 'spawn', name: 'python', argv: [] });
  assert.ok(channel);
  return { code, session, pid, channel: channel! };
}

test('a Python program serves a built-in client through its channel', async () => {
  const { session, pid, channel } = await pythonProcess();
  const { message: created } = await ask(channel, { op: 'call', call: { op: 'socket', pid } });
  const listener = created.ok.sock as number;
  assert.deepEqual((await ask(channel, { op: 'call', call: { op: 'bind', sock: listener, host: '127.0.0.1', port: 12345 } })).message, { ok: null });
  assert.equal((await ask(channel, { op: 'call', call: { op: 'listen', sock: listener, backlog: 5 } })).message.ok.realPort > 0, true);
  // Nobody connects yet: the request is held, then answered `again` (the worker asks again).
  const held = await ask(channel, { op: 'call', call: { op: 'accept', sock: listener, timeoutMs: null } });
  assert.deepEqual(held.message, { again: true });
  // A built-in client in another console of the device connects.
  const client = await ProgramProcess.spawn(session, 'nc', []);
  const sock = await client.socket();
  const accepting = ask(channel, { op: 'call', call: { op: 'accept', sock: listener, timeoutMs: null } });
  await sock.connect(['127.0.0.1', 12345]);
  const accepted = (await accepting).message.ok;
  assert.equal(accepted.addr[0], '127.0.0.1');
  const conn = accepted.sock as number;
  await sock.sendall(utf8Encode('Hello fr'));
  const first = await ask(channel, { op: 'recv', sock: conn, max: 1024, timeoutMs: null });
  assert.deepEqual(first.message, { ok: 'data' });
  assert.equal(Buffer.from(first.payload).toString(), 'Hello fr');
  const sent = await ask(channel, { op: 'send', sock: conn }, utf8Encode('Hello from server\n'));
  assert.deepEqual(sent.message, { ok: null });
  assert.equal(Buffer.from(await sock.recv(1024)).toString(), 'Hello from server\n');
  await sock.close();
  assert.deepEqual((await ask(channel, { op: 'recv', sock: conn, max: 1024, timeoutMs: null })).message, { ok: 'eof' });
  // The same errors as everywhere else.
  const { message: again } = await ask(channel, { op: 'call', call: { op: 'socket', pid } });
  const other = again.ok.sock as number;
  assert.deepEqual((await ask(channel, { op: 'call', call: { op: 'bind', sock: other, host: '127.0.0.1', port: 12345 } })).message, {
    err: { type: 'OSError', errno: 98, msg: 'Address already in use' },
  });
  assert.deepEqual((await ask(channel, { op: 'recv', sock: other, max: 10, timeoutMs: null })).message, {
    err: { type: 'OSError', errno: 107, msg: 'Transport endpoint is not connected' },
  });
  assert.deepEqual((await ask(channel, { op: 'recv', sock: 999_999, max: 10, timeoutMs: null })).message, {
    err: { type: 'OSError', errno: 9, msg: 'Bad file descriptor' },
  });
  await client.exit();
});

test('stdin lines, end of input, timeouts and Ctrl-C', async () => {
  const { session, pid, channel } = await pythonProcess();
  const reading = ask(channel, { op: 'stdin' });
  await session.call({ op: 'stdin', pid, line: '127.0.0.1' });
  assert.deepEqual((await reading).message, { ok: '127.0.0.1' });
  await session.call({ op: 'stdin', pid, line: null });
  assert.deepEqual((await ask(channel, { op: 'stdin' })).message, { ok: null });
  const { message: created } = await ask(channel, { op: 'call', call: { op: 'socket', pid } });
  const listener = created.ok.sock as number;
  await ask(channel, { op: 'call', call: { op: 'bind', sock: listener, host: '0.0.0.0', port: 0 } });
  await ask(channel, { op: 'call', call: { op: 'listen', sock: listener, backlog: 5 } });
  assert.deepEqual((await ask(channel, { op: 'call', call: { op: 'accept', sock: listener, timeoutMs: 20 } })).message, {
    err: { type: 'TimeoutError', msg: 'timed out' },
  });
  assert.deepEqual((await ask(channel, { op: 'call', call: { op: 'accept', sock: listener, timeoutMs: 0 } })).message, {
    err: { type: 'BlockingIOError', errno: 11, msg: 'Resource temporarily unavailable' },
  });
  assert.deepEqual((await ask(channel, { op: 'select', read: [listener], write: [], timeoutMs: 10 })).message, {
    ok: { read: [], write: [] },
  });
  const blocked = ask(channel, { op: 'call', call: { op: 'accept', sock: listener, timeoutMs: null } });
  await session.call({ op: 'interrupt', pid });
  assert.deepEqual((await blocked).message, { interrupted: true });
  // A Ctrl-C while the program computes is seen at its next call, or when it polls.
  await session.call({ op: 'interrupt', pid });
  assert.deepEqual((await ask(channel, { op: 'stdin' })).message, { interrupted: true });
  assert.deepEqual((await ask(channel, { op: 'signal' })).message, { ok: null });
  await session.call({ op: 'interrupt', pid });
  assert.deepEqual((await ask(channel, { op: 'signal' })).message, { interrupted: true });
  // The program ends: its channel is gone.
  await session.call({ op: 'exit', pid });
  assert.equal((await post(channel, encodeSyncFrame({ op: 'stdin' }))).status, 410);
});

test('a malformed request is refused with 400, an unknown channel with 410', async () => {
  const { channel } = await pythonProcess();
  for (const body of [new Uint8Array([0, 0]), encodeSyncFrame({ op: 'format' }), encodeSyncFrame({ op: 'call', call: { op: 'ps' } })]) {
    assert.equal((await post(channel, body)).status, 400);
  }
  assert.equal((await post('not-a-channel', encodeSyncFrame({ op: 'stdin' }))).status, 410);
});

/** A listener, a client connected to it and the accepted end, all of one Python program. */
async function connectedPair(channel: string, pid: number) {
  const open = async () => (await ask(channel, { op: 'call', call: { op: 'socket', pid } })).message.ok.sock as number;
  const listener = await open();
  await ask(channel, { op: 'call', call: { op: 'bind', sock: listener, host: '127.0.0.1', port: 0 } });
  await ask(channel, { op: 'call', call: { op: 'listen', sock: listener, backlog: 5 } });
  const port = (await ask(channel, { op: 'call', call: { op: 'getsockname', sock: listener } })).message.ok[1] as number;
  const client = await open();
  await ask(channel, { op: 'call', call: { op: 'connect', sock: client, host: '127.0.0.1', port, timeoutMs: null } });
  const conn = (await ask(channel, { op: 'call', call: { op: 'accept', sock: listener, timeoutMs: null } })).message.ok.sock as number;
  return { listener, client, conn };
}

const EAGAIN = { type: 'BlockingIOError', errno: 11, msg: 'Resource temporarily unavailable' };

test('a non-blocking send takes what fits in the window, then raises EAGAIN; the peer gets every byte taken', async () => {
  const { pid, channel } = await pythonProcess();
  const { client, conn } = await connectedPair(channel, pid);
  // Not a divisor of the window: while every send is taken whole, the window's room is never
  // exactly one payload, so the send that meets a nearly full window takes part of it.
  const PAYLOAD_BYTES = 60_000;
  const payload = new Uint8Array(PAYLOAD_BYTES).fill(0x61);
  let total = 0;
  let partial = false;
  let stoppedWith: unknown = null;
  // The peer does not read: the real sockets' buffers fill, then the window.
  while (stoppedWith === null) {
    const { message } = await ask(channel, { op: 'send', sock: client, nonBlocking: true }, payload);
    if ('err' in message) stoppedWith = message.err;
    else {
      assert.ok(message.ok > 0 && message.ok <= PAYLOAD_BYTES, JSON.stringify(message));
      if (message.ok < PAYLOAD_BYTES) partial = true;
      total += message.ok;
    }
  }
  assert.deepEqual(stoppedWith, EAGAIN);
  assert.ok(partial, 'the send into the nearly full window sent part of its bytes');
  // Still full: EAGAIN again, and select does not call it writable.
  assert.deepEqual((await ask(channel, { op: 'send', sock: client, nonBlocking: true }, payload)).message, { err: EAGAIN });
  assert.deepEqual((await ask(channel, { op: 'select', read: [], write: [client], timeoutMs: 0 })).message, { ok: { read: [], write: [] } });
  // A non-blocking send of nothing sends nothing, even into a full window (as Linux's).
  assert.deepEqual((await ask(channel, { op: 'send', sock: client, nonBlocking: true }, new Uint8Array(0))).message, { ok: 0 });
  // The peer reads: every byte the sends took arrives, and the window opens again.
  let read = 0;
  while (read < total) {
    const { message, payload: got } = await ask(channel, { op: 'recv', sock: conn, max: 256 * 1024, timeoutMs: null });
    assert.deepEqual(message, { ok: 'data' });
    assert.ok(got.every((b) => b === 0x61));
    read += got.length;
  }
  assert.equal(read, total);
  assert.deepEqual((await ask(channel, { op: 'select', read: [], write: [client], timeoutMs: 5000 })).message, { ok: { read: [], write: [client] } });
  assert.deepEqual((await ask(channel, { op: 'send', sock: client, nonBlocking: true }, utf8Encode('more'))).message, { ok: 4 });
});

test('a non-blocking send raises at once what a blocking one would: EPIPE after SHUT_WR or unconnected, EBADF', async () => {
  const { pid, channel } = await pythonProcess();
  const { client } = await connectedPair(channel, pid);
  await ask(channel, { op: 'call', call: { op: 'shutdown', sock: client, how: 1 } });
  assert.deepEqual((await ask(channel, { op: 'send', sock: client, nonBlocking: true }, utf8Encode('x'))).message, {
    err: { type: 'BrokenPipeError', errno: 32, msg: 'Broken pipe' },
  });
  const fresh = (await ask(channel, { op: 'call', call: { op: 'socket', pid } })).message.ok.sock as number;
  assert.deepEqual((await ask(channel, { op: 'send', sock: fresh, nonBlocking: true }, utf8Encode('x'))).message, {
    err: { type: 'BrokenPipeError', errno: 32, msg: 'Broken pipe' },
  });
  assert.deepEqual((await ask(channel, { op: 'send', sock: 999_999, nonBlocking: true }, utf8Encode('x'))).message, {
    err: { type: 'OSError', errno: 9, msg: 'Bad file descriptor' },
  });
});

test("poll's bits: POLLRDHUP when the peer ended, POLLHUP once both directions are, POLLERR for a reset until reported", async () => {
  const { pid, channel } = await pythonProcess();
  const { client, conn } = await connectedPair(channel, pid);
  const POLLIN = 0x1, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLRDHUP = 0x2000;
  const events = async (sock: number) => {
    const { message } = await ask(channel, { op: 'select', read: [], write: [], watch: [sock], timeoutMs: 0 });
    return new Map<number, number>(message.ok.events).get(sock);
  };
  assert.equal(await events(client), POLLOUT);
  await ask(channel, { op: 'call', call: { op: 'shutdown', sock: conn, how: 1 } });
  // Waiting on watch alone ends on a hang-up: not yet (only the peer's end), so the timeout.
  assert.deepEqual((await ask(channel, { op: 'select', read: [client], write: [], watch: [client], timeoutMs: 5000 })).message.ok.read, [client]);
  assert.equal(await events(client), POLLIN | POLLOUT | POLLRDHUP);
  await ask(channel, { op: 'call', call: { op: 'shutdown', sock: client, how: 1 } });
  assert.equal(await events(client), POLLIN | POLLOUT | POLLRDHUP | POLLHUP);
  // A socket not connected is hung up (Linux's TCP_CLOSE) and writable.
  const fresh = (await ask(channel, { op: 'call', call: { op: 'socket', pid } })).message.ok.sock as number;
  assert.equal(await events(fresh), POLLOUT | POLLHUP);
  // A reset: the peer closes with unread bytes (Linux then sends RST).
  const pair = await connectedPair(channel, pid);
  await ask(channel, { op: 'send', sock: pair.client }, utf8Encode('unread'));
  assert.deepEqual((await ask(channel, { op: 'select', read: [pair.conn], write: [], timeoutMs: 5000 })).message.ok.read, [pair.conn]);
  await ask(channel, { op: 'call', call: { op: 'close', sock: pair.conn } });
  const { message: woke } = await ask(channel, { op: 'select', read: [], write: [], watch: [pair.client], timeoutMs: 5000 });
  const reset = POLLIN | POLLOUT | POLLRDHUP | POLLHUP;
  assert.deepEqual(woke.ok.events, [[pair.client, reset | POLLERR]]);
  assert.deepEqual((await ask(channel, { op: 'recv', sock: pair.client, max: 10, timeoutMs: 0 })).message, {
    err: { type: 'ConnectionResetError', errno: 104, msg: 'Connection reset by peer' },
  });
  assert.equal(await events(pair.client), reset);
  assert.deepEqual((await ask(channel, { op: 'recv', sock: pair.client, max: 10, timeoutMs: 0 })).message, { ok: 'eof' });
});
