// When sendall returns (web/common/net/bridge-socket.ts): once its bytes are inside the send
// window, as Linux's returns once they are in the kernel's buffer, so a chatting program does
// not wait a round trip per send; a send the server refuses still raises at once; and a
// program's sleep starts only once what it sent is written to the real socket, so Program 3's
// pause between its two pieces is a pause on the wire.

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { BridgeSocket } from '../web/common/net/bridge-socket.ts';
import { PAGE_SEND_WINDOW_BYTES } from '../shared/data-frame.ts';
import { PyException } from '../shared/py-exception.ts';
import { ProgramProcess } from '../web/common/programs/program-process.ts';
import { connectedPair } from './support/connected-pair.ts';
import { startLabServer, type TestLabServer } from './support/lab-server.ts';

let server: TestLabServer;
beforeAll(async () => {
  server = await startLabServer();
});
afterAll(() => server.close());

async function pair() {
  const code = await server.createLab();
  const a = await server.openConsole(code, `send-a-${code}`);
  const b = await server.openConsole(code, `send-b-${code}`);
  const p = await connectedPair(a, b, 7000);
  assert.ok(p.client instanceof BridgeSocket);
  return { client: p.client as BridgeSocket, conn: p.conn, clientProcess: p.clientProcess };
}

async function readExactly(sock: { recv(n: number): Promise<Uint8Array> }, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  for (let got = 0; got < n; ) {
    const chunk = await sock.recv(n - got);
    assert.ok(chunk.length > 0, 'the stream ended early');
    out.set(chunk, got);
    got += chunk.length;
  }
  return out;
}

test('sendall returns with its bytes in flight, small or large, and they all arrive in order', async () => {
  const { client, conn } = await pair();
  const messages = [10, PAGE_SEND_WINDOW_BYTES / 2, 1, PAGE_SEND_WINDOW_BYTES / 2].map((n, k) => new Uint8Array(n).map((_, i) => (i * (k + 1)) & 0xff));
  const total = messages.reduce((n, m) => n + m.length, 0);
  const reading = readExactly(conn, total);
  for (const m of messages) {
    await client.sendall(m);
    // The acknowledgement comes back over the WebSocket, after the send returned.
    assert.ok(client.bytesInFlight > 0, `a ${m.length}-byte sendall waited for its acknowledgement`);
  }
  const got = await reading;
  let at = 0;
  for (const m of messages) {
    assert.deepEqual(got.subarray(at, at + m.length), m);
    at += m.length;
  }
});

test("a program's sleep starts once the server has written what it sent", async () => {
  const { client, clientProcess } = await pair();
  await client.sendall(new Uint8Array([1, 2, 3]));
  assert.equal(client.bytesInFlight, 3);
  await clientProcess.written();
  assert.equal(client.bytesInFlight, 0);
});

test('a send the server refuses raises at once: not connected, or after shutdown(SHUT_WR)', async () => {
  const { client } = await pair();
  await client.shutdown(1);
  await assert.rejects(client.sendall(new Uint8Array([1])), (err: unknown) => err instanceof PyException && err.toString() === 'BrokenPipeError: [Errno 32] Broken pipe');
  const code = await server.createLab();
  const p = await ProgramProcess.spawn(await server.openConsole(code, `send-c-${code}`), 'nc', []);
  await assert.rejects((await p.socket()).sendall(new Uint8Array([1])), (err: unknown) => err instanceof PyException && err.toString() === 'BrokenPipeError: [Errno 32] Broken pipe');
});

test('a non-blocking send takes what fits in the window and returns its count; a full window raises EAGAIN', async () => {
  const { client, conn } = await pair();
  client.settimeout(0);
  const CHUNK_BYTES = 100_000; // not a divisor of the window: the last send that fits takes part
  const chunk = new Uint8Array(CHUNK_BYTES).fill(7);
  let total = 0;
  let partial = false;
  for (;;) {
    try {
      const n = await client.send(chunk);
      assert.ok(n > 0 && n <= CHUNK_BYTES);
      if (n < CHUNK_BYTES) partial = true;
      total += n;
    } catch (err) {
      assert.ok(err instanceof PyException);
      assert.equal(String(err), 'BlockingIOError: [Errno 11] Resource temporarily unavailable');
      break;
    }
  }
  // Acknowledgements come over the WebSocket after the sends returned: none has yet.
  assert.equal(total, PAGE_SEND_WINDOW_BYTES);
  assert.ok(partial);
  assert.equal(await client.send(new Uint8Array(0)), 0);
  const got = await readExactly(conn, total);
  assert.ok(got.every((b) => b === 7));
});
