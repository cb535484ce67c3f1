// Faults a class meets: a tab closed mid-transfer, a laptop lid shut (a WebSocket that stops
// answering without closing), a console left open with nothing to do. The peer of a gone
// console reads end of stream (or a reset, as Linux gives), and nothing else in the lab moves.

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { CLOSE_CODES } from '../shared/bridge-protocol.ts';
import { PyException } from '../shared/py-exception.ts';
import { ProgramProcess } from '../web/common/programs/program-process.ts';
import type { PySocket } from '../web/common/net/py-socket.ts';
import { BridgeSession, type WebSocketLike } from '../web/common/bridge/bridge-session.ts';
import { startLabServer, type TestLabServer } from './support/lab-server.ts';
import { connectedPair } from './support/connected-pair.ts';
import { defaultLimits } from '../server/limits.ts';

// The lid and idle tests need a heartbeat fast enough to finish in seconds, yet slow enough
// that a console that does answer is never cut on a busy 2-core machine, where this process
// (server and pages in one event loop) can wait a few hundred milliseconds for the CPU: a
// page answers a ping only when its turn of the loop comes. With 40 ms, a loaded run of
// `npm test` cut the listening console of the mid-transfer test, and its page failed its own
// sockets with ECONNABORTED. Each test has its own server, so no console meets a heartbeat
// or an idle timeout its test is not about.
const PING_INTERVAL_MS = 1000;
const IDLE_TIMEOUT_MS = 1500;

let server: TestLabServer;
let lidServer: TestLabServer;
let idleServer: TestLabServer;
beforeAll(async () => {
  server = await startLabServer();
  lidServer = await startLabServer({ pingIntervalMs: PING_INTERVAL_MS, idleTimeoutMs: 0 });
  idleServer = await startLabServer({
    pingIntervalMs: PING_INTERVAL_MS,
    idleTimeoutMs: IDLE_TIMEOUT_MS,
    // The busy console calls as fast as it can: not what the rate limit is about here.
    limits: { ...defaultLimits(), messagesPerSecond: 1_000_000 },
  });
});
afterAll(async () => {
  await Promise.all([server.close(), lidServer.close(), idleServer.close()]);
});

/** Reads until end of stream or a reset; returns how it ended and the bytes read. */
async function readToEnd(sock: PySocket): Promise<{ bytes: number; end: 'eof' | string }> {
  let bytes = 0;
  for (;;) {
    try {
      const chunk = await sock.recv(65536);
      if (chunk.length === 0) return { bytes, end: 'eof' };
      bytes += chunk.length;
    } catch (err) {
      if (err instanceof PyException) return { bytes, end: err.toString() };
      throw err;
    }
  }
}

test('a tab closed mid-transfer: the peer reads what arrived, then the end; the lab carries on', async () => {
  const code = await server.createLab();
  const a = await server.openConsole(code, `fault-a-${code}`);
  const b = await server.openConsole(code, `fault-b-${code}`);
  const c = await server.openConsole(code, `fault-c-${code}`);
  const { serverProcess: pa, conn, client } = await connectedPair(a, b, 7300);
  const block = new Uint8Array(64 * 1024).fill(0x62);
  const sending = (async () => {
    for (;;) await client.sendall(block); // until the tab goes
  })().catch((err: unknown) => err);
  assert.ok((await conn.recv(65536)).length > 0, 'the transfer is under way');
  b.close(); // device B's tab closes in the middle of its sendall
  const { end } = await readToEnd(conn);
  assert.equal(a.closed, false, `the peer's own console stays (it closed: ${a.closeCode})`);
  assert.ok(end === 'eof' || end.startsWith('ConnectionResetError'), `the peer saw ${end}`);
  assert.ok((await sending) instanceof Error);
  // The rest of the lab is untouched: C still reaches A's listener.
  const pc = await ProgramProcess.spawn(c, 'nc', []);
  const other = await pc.socket();
  await other.connect([a.welcome.device.address, 7300]);
  await other.close();
  await pa.exit();
  await pc.exit();
});

test('a laptop whose WebSocket stops answering pings is cut; its peer reads end of stream', async () => {
  const code = await lidServer.createLab();
  const a = await lidServer.openConsole(code, `lid-a-${code}`);
  // A page whose laptop lid is shut: the connection stays, nothing answers.
  const silentWs = new WebSocket(lidServer.wsUrl, { autoPong: false });
  const silent = await BridgeSession.open(silentWs as unknown as WebSocketLike, code, `lid-b-${code}`);
  const { serverProcess: pa, conn } = await connectedPair(a, silent, 7301);
  const closed = new Promise<number>((resolve) => silentWs.once('close', (code) => resolve(code)));
  const { end } = await readToEnd(conn);
  assert.equal(end, 'eof');
  assert.equal(await closed, 1006, 'cut without a closing handshake');
  assert.equal(a.closed, false, 'a console that answers pings stays');
  await pa.exit();
});

test('a console that sends nothing for the idle timeout is closed with its reason; a busy one stays', async () => {
  const code = await idleServer.createLab();
  const busy = await idleServer.openConsole(code, `idle-a-${code}`);
  const quietWs = new WebSocket(idleServer.wsUrl);
  const quiet = await BridgeSession.open(quietWs as unknown as WebSocketLike, code, `idle-b-${code}`);
  const closed = new Promise<[number, string]>((resolve) => quietWs.once('close', (c, r) => resolve([c, r.toString()])));
  let done = false;
  void closed.then(() => (done = true));
  while (!done) await busy.call({ op: 'ps' }); // the busy console keeps talking
  const [closeCode, reason] = await closed;
  assert.equal(closeCode, CLOSE_CODES.IDLE);
  assert.match(reason, /^closed after \d+ minutes with nothing sent$/);
  assert.equal(quiet.closed, true);
  assert.equal(busy.closed, false);
});
