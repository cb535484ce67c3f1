// A program reading a stream a byte at a time (recv(1), as a newline reader may) must not
// send the server a message per byte: the page gathers its credit (web/common/bridge/credit-batcher.ts),
// so even with a low messages-per-second limit nothing is refused and every byte arrives; and
// a close after reading everything is still a FIN, not a reset.

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { defaultLimits } from '../server/limits.ts';
import { connectedPair } from './support/connected-pair.ts';
import { startLabServer, type TestLabServer } from './support/lab-server.ts';
import type { ServerNotice } from '../web/common/bridge/bridge-session.ts';

const MESSAGES_PER_SECOND = 200;
let server: TestLabServer;
beforeAll(async () => {
  server = await startLabServer({ limits: { ...defaultLimits(), messagesPerSecond: MESSAGES_PER_SECOND } });
});
afterAll(() => server.close());

test('recv(1) over 64 KiB: every byte, in order, and no message refused', async () => {
  const code = await server.createLab();
  const a = await server.openConsole(code, `credit-a-${code}`);
  const b = await server.openConsole(code, `credit-b-${code}`);
  const heard: ServerNotice[] = [];
  a.onNotice((n) => heard.push(n));
  const { conn, client } = await connectedPair(a, b, 6000);
  const total = 64 * 1024;
  const data = new Uint8Array(total).map((_, i) => (i * 7) & 0xff);
  const sending = client.sendall(data);
  for (let i = 0; i < total; i++) {
    const byte = await conn.recv(1);
    assert.equal(byte.length, 1);
    if (byte[0] !== data[i]) assert.fail(`byte ${i}: ${byte[0]} where ${data[i]} was sent`);
  }
  await sending;
  assert.deepEqual(heard, [], 'the server refused or warned about something');
  // Everything was read, so closing sends FIN: the sender reads the end, not a reset.
  await conn.close();
  assert.equal((await client.recv(10)).length, 0);
});
