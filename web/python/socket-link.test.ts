// The worker's channel WebSocket against a fake socket: answers matched to requests by
// their tags, in whatever order they come, its URL, what a close means (410 when the program ended, else unreachable), and an
// open that fails or takes too long.

import { onTestFinished, test, vi } from 'vitest';
import assert from 'node:assert/strict';
import { decodeSocketRequest, encodeSocketAnswer, SYNC_SOCKET_GONE_CLOSE_CODE } from '../../shared/sync-protocol.ts';
import { RequestPacer } from '../common/python/request-pacer.ts';
import { channelSocketUrl, SocketLink, type LinkSocket } from './socket-link.ts';

class FakeSocket implements LinkSocket {
  binaryType: BinaryType = 'blob';
  readyState = 0;
  readonly sent: Uint8Array[] = [];
  closedByUs = false;
  private readonly listeners = new Map<string, ((event: never) => void)[]>();

  addEventListener(type: string, listener: (event: never) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  emit(type: string, event: unknown = {}): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event as never);
  }

  send(data: Uint8Array): void {
    this.sent.push(data);
  }

  close(): void {
    this.closedByUs = true;
  }

  answer(tag: number, status: number, body: number[]): void {
    this.emit('message', { data: encodeSocketAnswer(tag, status, new Uint8Array(body)).slice().buffer });
  }

  /** The requests sent: [tag, ...frame]. */
  get requests(): number[][] {
    return this.sent.map((message) => {
      const request = decodeSocketRequest(message);
      assert.ok(typeof request !== 'string');
      return [request.tag, ...request.body];
    });
  }
}

async function opened(pacer?: RequestPacer): Promise<{ socket: FakeSocket; link: SocketLink }> {
  const socket = new FakeSocket();
  const opening = SocketLink.open(socket, 1000, pacer);
  socket.emit('open');
  const link = await opening;
  assert.ok(link);
  assert.equal(socket.binaryType, 'arraybuffer');
  return { socket, link };
}

test("the socket's URL is the channel's with /ws, ws: for http: and wss: for https:", () => {
  assert.equal(channelSocketUrl('/api/sync/TOKEN', 'http://lab.test:8080/assets/python-worker.js'), 'ws://lab.test:8080/api/sync/TOKEN/ws');
  assert.equal(channelSocketUrl('/api/sync/TOKEN', 'https://lab.example/assets/w.js'), 'wss://lab.example/api/sync/TOKEN/ws');
  assert.equal(channelSocketUrl('/api/sync/TOKEN?lab=ABC234', 'http://lab.test/assets/w.js'), 'ws://lab.test/api/sync/TOKEN/ws?lab=ABC234');
});

test('answers go to the requests by tag, in whatever order they come', async () => {
  const { socket, link } = await opened();
  const first = link.post(new Uint8Array([1]));
  const second = link.post(new Uint8Array([2]));
  assert.deepEqual(socket.requests, [[1, 1], [2, 2]]);
  socket.answer(2, 429, [8]);
  assert.deepEqual(await second, { status: 429, body: new Uint8Array([8]) });
  socket.answer(1, 200, [7]);
  assert.deepEqual(await first, { status: 200, body: new Uint8Array([7]) });
});

test('closed by the server as the program ended: 410 for every request, waiting or later', async () => {
  const { socket, link } = await opened();
  const waiting = link.post(new Uint8Array([1]));
  socket.emit('close', { code: SYNC_SOCKET_GONE_CLOSE_CODE });
  assert.equal((await waiting).status, 410);
  assert.equal((await link.post(new Uint8Array([2]))).status, 410);
  assert.equal(socket.sent.length, 1);
});

test('closed any other way: 0, the server could not be reached', async () => {
  const { socket, link } = await opened();
  const waiting = link.post(new Uint8Array([1]));
  socket.emit('close', { code: 1006 });
  assert.equal((await waiting).status, 0);
});

test('a socket that fails or does not open in time gives no link', async () => {
  const failing = new FakeSocket();
  const opening = SocketLink.open(failing, 1000);
  failing.emit('error');
  assert.equal(await opening, null);
  const silent = new FakeSocket();
  assert.equal(await SocketLink.open(silent, 1), null);
  assert.equal(silent.closedByUs, true);
});

test('past the pacer\'s burst, requests wait their turn and still go in order', async () => {
  // The pacer's clock stands still: on the real one, a busy machine that takes a millisecond
  // over the loop below lets a request more go at once.
  const { socket, link } = await opened(new RequestPacer(1000, () => 0));
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  onTestFinished(() => void vi.useRealTimers());
  const posts = Array.from({ length: 103 }, (_, i) => link.post(new Uint8Array([i])));
  assert.equal(socket.sent.length, 100, 'the burst went at once');
  while (socket.sent.length < 103) await vi.advanceTimersToNextTimerAsync();
  assert.deepEqual(socket.requests.map((request) => request[1]), Array.from({ length: 103 }, (_, i) => i));
  for (let i = 0; i < 103; i++) socket.answer(i + 1, 200, [i]);
  assert.deepEqual((await Promise.all(posts)).map((reply) => reply.body[0]), Array.from({ length: 103 }, (_, i) => i));
});
