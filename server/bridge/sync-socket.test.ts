// A Python program's channel over its WebSocket, against the real server: the same requests
// and answers as POST /api/sync/CHANNEL, each with its request's tag, side by side (one that
// waits holds up no other); a background thread's request leaves Ctrl-C to the main one's; the same limits; one socket per program;
// closed with 4410 when the program ends (a closed console), and nothing left behind when the
// worker's side closes it.

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { decodeSocketAnswer, decodeSyncFrame, encodeSocketRequest, encodeSyncFrame, SYNC_SOCKET_GONE_CLOSE_CODE, type SyncRequest } from '../../shared/sync-protocol.ts';
import { defaultLimits } from '../limits.ts';
import { startLabServer, type TestLabServer } from '../../tests/support/lab-server.ts';

let server: TestLabServer;
beforeAll(async () => {
  server = await startLabServer({ limits: { ...defaultLimits(), messagesPerSecond: 50, badMessages: 1000 } });
});
afterAll(() => server.close());

interface Answer {
  status: number;
  message: Record<string, unknown>;
}

/** A console with a Python program, and its channel's WebSocket, open. */
async function program(device: string) {
  const code = await server.createLab();
  const session = await server.openConsole(code, device);
  const { pid, channel } = await session.call({ op: 'spawn', name: 'python', argv: [] });
  assert.ok(channel);
  const ws = await openSocket(channel);
  const waiting = new Map<number, (answer: Answer) => void>();
  /** Tags in the order their answers came. */
  const order: number[] = [];
  ws.on('message', (data: Buffer) => {
    const answer = decodeSocketAnswer(new Uint8Array(data));
    assert.ok(typeof answer !== 'string');
    const frame = decodeSyncFrame(answer.body);
    assert.ok(typeof frame !== 'string');
    order.push(answer.tag);
    waiting.get(answer.tag)?.({ status: answer.status, message: frame.message as Record<string, unknown> });
    waiting.delete(answer.tag);
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code: number) => resolve(code)));
  let lastTag = 0;
  /** A request (a Uint8Array: the whole message, its tag being the first four bytes). */
  const ask = (request: SyncRequest | Uint8Array): Promise<Answer> => {
    const message = request instanceof Uint8Array ? request : encodeSocketRequest(++lastTag, encodeSyncFrame(request));
    const tag = new DataView(message.buffer, message.byteOffset).getUint32(0);
    ws.send(message);
    return new Promise((resolve) => waiting.set(tag, resolve));
  };
  return { session, pid, channel, ws, ask, closed, order };
}

function openSocket(channel: string): Promise<WebSocket> {
  const ws = new WebSocket(`${server.wsUrl.replace(/\/ws$/, '')}/api/sync/${channel}/ws`);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function closeCodeOf(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code: number) => resolve(code)));
}

test('requests are answered, by tag, with the POST route status and frame; one that waits holds up no other', async () => {
  const { session, pid, ask, ws, order } = await program('sync-socket-1');
  const created = await ask({ op: 'call', call: { op: 'socket', pid } });
  assert.equal(created.status, 200);
  const sock = (created.message.ok as { sock: number }).sock;
  assert.deepEqual(await ask({ op: 'call', call: { op: 'bind', sock, host: '127.0.0.1', port: 4000 } }), { status: 200, message: { ok: null } });
  // A line of input is awaited (a thread in input()) while another request is answered.
  const reading = ask({ op: 'stdin' });
  const name = await ask({ op: 'call', call: { op: 'getsockname', sock } });
  assert.deepEqual(name, { status: 200, message: { ok: ['127.0.0.1', 4000] } });
  assert.deepEqual(order.slice(-1), [4], 'getsockname (4) answered while stdin (3) waits');
  assert.deepEqual(await ask({ op: 'signal' }), { status: 200, message: { ok: null } });
  // Refused as the POST route refuses them.
  assert.deepEqual(await ask({ op: 'nothing' } as unknown as SyncRequest), { status: 400, message: { code: 'unknown-op', error: "unknown request 'nothing'" } });
  assert.deepEqual(await ask(new Uint8Array([0, 0, 0, 99, 0, 0])), { status: 400, message: { code: 'bad-frame', error: 'frame shorter than its header' } });
  // The program ends: the waiting request is answered, then the socket closes.
  const closing = closeCodeOf(ws);
  await session.call({ op: 'kill', pid });
  assert.deepEqual(await reading, { status: 200, message: { interrupted: true } });
  assert.equal(await closing, SYNC_SOCKET_GONE_CLOSE_CODE);
});

test('a message without a tag (text) ends the socket', async () => {
  const { ws } = await program('sync-socket-1b');
  const closing = closeCodeOf(ws);
  ws.send('text');
  assert.equal(await closing, 1008);
});

test("Ctrl-C is the main thread's: a background thread's waiting request goes on waiting", async () => {
  const { session, pid, ask, ws } = await program('sync-socket-1c');
  const background = ask({ op: 'select', read: [], write: [], timeoutMs: 5000, bg: true });
  let backgroundAnswered = false;
  void background.then(() => (backgroundAnswered = true));
  await session.call({ op: 'interrupt', pid });
  assert.deepEqual(await ask({ op: 'select', read: [], write: [], timeoutMs: 5000 }), { status: 200, message: { interrupted: true } });
  assert.equal(backgroundAnswered, false);
  // A signal poll of a background thread (a busy one) does take it: it forwards it to main.
  await session.call({ op: 'interrupt', pid });
  assert.deepEqual(await ask({ op: 'signal', bg: true }), { status: 200, message: { interrupted: true } });
  ws.close();
});

test('the console message rate counts the socket requests', async () => {
  const { ask, ws } = await program('sync-socket-2');
  const answers = await Promise.all(Array.from({ length: 80 }, () => ask({ op: 'signal' })));
  const tooFast = answers.filter((a) => a.status === 429);
  assert.ok(tooFast.length >= 25, `${tooFast.length} of 80 refused`);
  assert.equal(tooFast[0]!.message.code, 'too-fast');
  ws.close();
});

test('one socket per program; another may open once it is closed', async () => {
  const { channel, ws } = await program('sync-socket-3');
  const second = new WebSocket(`${server.wsUrl.replace(/\/ws$/, '')}/api/sync/${channel}/ws`);
  assert.equal(await closeCodeOf(second), 1008);
  const closed = closeCodeOf(ws);
  ws.close();
  await closed;
  const third = await openSocket(channel);
  third.close();
});

test('Ctrl-C reaches a waiting request; the program ending answers it and closes the socket with 4410', async () => {
  const { session, pid, ask, closed, channel } = await program('sync-socket-4');
  const reading = ask({ op: 'stdin' });
  await session.call({ op: 'interrupt', pid });
  assert.deepEqual(await reading, { status: 200, message: { interrupted: true } });
  const waiting = ask({ op: 'stdin' });
  session.close(); // the tab closed: its console, its program, and the program's channel
  assert.deepEqual(await waiting, { status: 200, message: { interrupted: true } });
  assert.equal(await closed, SYNC_SOCKET_GONE_CLOSE_CODE);
  // Gone for good: a new socket is closed at once, as the POST route answers 410.
  const late = new WebSocket(`${server.wsUrl.replace(/\/ws$/, '')}/api/sync/${channel}/ws`);
  assert.equal(await closeCodeOf(late), SYNC_SOCKET_GONE_CLOSE_CODE);
});

test('a socket of another site is refused before the upgrade', async () => {
  const { channel, ws } = await program('sync-socket-5');
  const foreign = new WebSocket(`${server.wsUrl.replace(/\/ws$/, '')}/api/sync/${channel}/ws`, { headers: { origin: 'http://evil.test' } });
  const status = await new Promise<number>((resolve) => foreign.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
  assert.equal(status, 403);
  ws.close();
});
