// When sendall returns (web/net/bridge-socket.ts): a small one once the server has written
// its bytes to the real socket, so a program's timing after it starts with the bytes on the
// wire (Program 3's pause between two pieces); a large one once its bytes are inside the send
// window, as Linux's returns once they are in the kernel's buffer, so big transfers stream.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BridgeSocket, PIPELINED_SENDALL_MIN_BYTES } from '../web/net/bridge-socket.ts';
import { PAGE_SEND_WINDOW_BYTES } from '../shared/data-frame.ts';
import { connectedPair } from './support/connected-pair.ts';
import { startLabServer, type TestLabServer } from './support/lab-server.ts';

let server: TestLabServer;
before(async () => {
  server = await startLabServer();
});
after(() => server.close());

async function pair() {
  const code = await server.createLab();
  const a = await server.openConsole(code, `send-a-${code}`);
  const b = await server.openConsole(code, `send-b-${code}`);
  const p = await connectedPair(a, b, 7000);
  assert.ok(p.client instanceof BridgeSocket);
  return { client: p.client as BridgeSocket, conn: p.conn };
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

test('a small sendall returns once the server has written every byte', async () => {
  const { client, conn } = await pair();
  for (const n of [1, 10, PIPELINED_SENDALL_MIN_BYTES - 1]) {
    await client.sendall(new Uint8Array(n).fill(7));
    assert.equal(client.bytesInFlight, 0, `${n} bytes: returned before the server acknowledged them`);
    assert.deepEqual(await readExactly(conn, n), new Uint8Array(n).fill(7));
  }
});

test('a large sendall returns with its bytes in flight, and they all arrive in order', async () => {
  const { client, conn } = await pair();
  const size = PAGE_SEND_WINDOW_BYTES / 2;
  const messages = [1, 2, 3].map((k) => new Uint8Array(size).map((_, i) => (i * k) & 0xff));
  const reading = readExactly(conn, 3 * size);
  for (const m of messages) {
    await client.sendall(m);
  }
  // The acknowledgements come back over the WebSocket, after the send returned.
  assert.ok(client.bytesInFlight > 0, 'the large sendall waited for its acknowledgement');
  const got = await reading;
  messages.forEach((m, k) => assert.deepEqual(got.subarray(k * size, (k + 1) * size), m));
  // and at the end of it all is acknowledged: the next small send waits for that too.
  await client.sendall(new Uint8Array([1]));
  assert.equal(client.bytesInFlight, 0);
});
