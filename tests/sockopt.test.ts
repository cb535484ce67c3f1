// Socket options over the bridge: setsockopt(IPPROTO_TCP, TCP_NODELAY) turns Nagle's algorithm
// off and on on the REAL socket (read back from the kernel through its descriptor), getsockopt
// reads what the server keeps, and both calls are validated like every other.

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '../shared/bridge-protocol.ts';
import type { BridgeSession } from '../web/common/bridge/bridge-session.ts';
import { startLabServer, type TestLabServer } from './support/lab-server.ts';
import { kernelNoDelay, labSocket } from './support/tcp-nodelay.ts';

const IPPROTO_TCP = 6;
const TCP_NODELAY = 1;
const SOL_SOCKET = 1;
const SO_REUSEADDR = 2;

let server: TestLabServer;
beforeAll(async () => {
  server = await startLabServer({ revealAnswers: false });
});
afterAll(() => server.close());

/** A listener on 0.0.0.0:port, a client connected to it, and the accepted connection, by socket id. */
async function pair(session: BridgeSession, port: number, beforeConnect?: (client: number, listener: number) => Promise<void>) {
  const { pid } = await session.call({ op: 'spawn', name: 'nc', argv: [] });
  const listener = (await session.call({ op: 'socket', pid })).sock;
  await session.call({ op: 'bind', sock: listener, host: '0.0.0.0', port });
  await session.call({ op: 'listen', sock: listener, backlog: 5 });
  const client = (await session.call({ op: 'socket', pid })).sock;
  await beforeConnect?.(client, listener);
  await session.call({ op: 'connect', sock: client, host: '127.0.0.1', port, timeoutMs: null });
  const accepted = (await session.call({ op: 'accept', sock: listener, timeoutMs: null })).sock;
  return { client, listener, accepted };
}

const nodelay = (session: BridgeSession, sock: number) => session.call({ op: 'getsockopt', sock, level: IPPROTO_TCP, name: TCP_NODELAY });
const setNodelay = (session: BridgeSession, sock: number, value: number) =>
  session.call({ op: 'setsockopt', sock, level: IPPROTO_TCP, name: TCP_NODELAY, value });

test("TCP_NODELAY: off by default (Linux's Nagle on), set and cleared on the real socket", async () => {
  const code = await server.createLab();
  const session = await server.openConsole(code, 'sockopt-1');
  const { client, accepted } = await pair(session, 4100);
  const real = (id: number) => labSocket(server, code, id).real!;
  assert.equal(kernelNoDelay(real(client)), 0);
  assert.equal(kernelNoDelay(real(accepted)), 0);
  assert.equal(await nodelay(session, client), 0);

  await setNodelay(session, client, 1);
  assert.equal(kernelNoDelay(real(client)), 1);
  assert.equal(await nodelay(session, client), 1);
  assert.equal(kernelNoDelay(real(accepted)), 0, 'the other end keeps its own');

  // Any non-zero value turns it on; Linux reads it back as 1.
  await setNodelay(session, accepted, 7);
  assert.equal(kernelNoDelay(real(accepted)), 1);
  assert.equal(await nodelay(session, accepted), 1);

  await setNodelay(session, client, 0);
  assert.equal(kernelNoDelay(real(client)), 0);
  assert.equal(await nodelay(session, client), 0);
});

test('TCP_NODELAY set before connect applies once connected; an accepted socket inherits the listener\'s', async () => {
  const code = await server.createLab();
  const session = await server.openConsole(code, 'sockopt-2');
  const { client, accepted } = await pair(session, 4101, async (c, l) => {
    await setNodelay(session, c, 1);
    await setNodelay(session, l, 1);
  });
  assert.equal(kernelNoDelay(labSocket(server, code, client).real!), 1);
  assert.equal(kernelNoDelay(labSocket(server, code, accepted).real!), 1);
  assert.equal(await nodelay(session, accepted), 1);
});

test('getsockopt: the options the server keeps; others are ENOPROTOOPT; a closed socket EBADF', async () => {
  const code = await server.createLab();
  const session = await server.openConsole(code, 'sockopt-3');
  const { pid } = await session.call({ op: 'spawn', name: 'nc', argv: [] });
  const sock = (await session.call({ op: 'socket', pid })).sock;
  assert.equal(await session.call({ op: 'getsockopt', sock, level: SOL_SOCKET, name: SO_REUSEADDR }), 0);
  await session.call({ op: 'setsockopt', sock, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1 });
  assert.equal(await session.call({ op: 'getsockopt', sock, level: SOL_SOCKET, name: SO_REUSEADDR }), 1);
  assert.equal(await session.call({ op: 'getsockopt', sock, level: SOL_SOCKET, name: 3 }), 1, 'SO_TYPE is SOCK_STREAM');
  await assert.rejects(session.call({ op: 'getsockopt', sock, level: IPPROTO_TCP, name: 99 }), /\[Errno 92\] Protocol not available/);
  await session.call({ op: 'close', sock });
  await assert.rejects(nodelay(session, sock), /\[Errno 9\] Bad file descriptor/);
  await assert.rejects(setNodelay(session, sock, 1), /\[Errno 9\] Bad file descriptor/);
});

test('getsockopt and setsockopt are validated: a malformed one gets an error reply, the console goes on', async () => {
  const code = await server.createLab();
  const ws = new WebSocket(server.wsUrl);
  const replies: Record<string, unknown>[] = [];
  let wake: (() => void) | null = null;
  ws.on('message', (data) => {
    replies.push(JSON.parse(data.toString()) as Record<string, unknown>);
    wake?.();
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const ask = async (message: unknown) => {
    const count = replies.length;
    ws.send(JSON.stringify(message));
    while (replies.length === count) await new Promise<void>((r) => (wake = r));
    return replies[count]!;
  };
  assert.equal((await ask({ t: 'hello', v: PROTOCOL_VERSION, lab: code, device: 'sockopt-raw' })).t, 'welcome');
  const bad: unknown[] = [
    { t: 'call', id: 1, op: 'getsockopt', sock: 1, level: IPPROTO_TCP },
    { t: 'call', id: 2, op: 'getsockopt', sock: 0, level: IPPROTO_TCP, name: TCP_NODELAY },
    { t: 'call', id: 3, op: 'getsockopt', sock: 1, level: -1, name: TCP_NODELAY },
    { t: 'call', id: 4, op: 'getsockopt', sock: 1, level: IPPROTO_TCP, name: 'TCP_NODELAY' },
    { t: 'call', id: 5, op: 'setsockopt', sock: 1, level: IPPROTO_TCP, name: TCP_NODELAY, value: true },
    { t: 'call', id: 6, op: 'setsockopt', sock: 1, level: IPPROTO_TCP, name: TCP_NODELAY },
  ];
  for (const message of bad) {
    const reply = await ask(message);
    assert.equal(reply.t, 'error', JSON.stringify(message));
    assert.equal(reply.code, 'bad-field', JSON.stringify(message));
  }
  // Well-formed, someone else's socket (or none): EBADF, as for a descriptor the process does not have.
  const other = await ask({ t: 'call', id: 7, op: 'getsockopt', sock: 999_999, level: IPPROTO_TCP, name: TCP_NODELAY });
  assert.deepEqual(other.err, { type: 'OSError', errno: 9, msg: 'Bad file descriptor' });
  ws.close();
});
