// BridgeSession.open over a fake WebSocket: what a refused or cut connection rejects with (the
// close code the page explains), and the server's notices after the welcome.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { CLOSE_CODES, PROTOCOL_VERSION } from '../../../shared/bridge-protocol.ts';
import { BridgeClosedError, BridgeSession, type ServerNotice, type WebSocketLike } from './bridge-session.ts';

class FakeWebSocket implements WebSocketLike {
  binaryType = 'blob';
  readyState = 0;
  sent: unknown[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  send(data: string | Uint8Array): void {
    this.sent.push(data);
  }
  close(): void {}
  serverSays(message: object): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

const WELCOME = {
  t: 'welcome',
  v: PROTOCOL_VERSION,
  lab: 'ABC234',
  device: { id: 1, address: '10.1.0.2' },
  pid: 1000,
  console: 1,
  revealAnswers: false,
};

test('a server that cannot be reached rejects with no close code (retried like a restart)', async () => {
  const ws = new FakeWebSocket();
  const opening = BridgeSession.open(ws, 'ABC234', 'device-key-1');
  ws.onerror?.({});
  ws.onclose?.({ code: 1006, reason: '' });
  await assert.rejects(opening, (err: unknown) => err instanceof BridgeClosedError && err.closeCode === null);
});

test("a refusal rejects with the server's words and the close code that follows them", async () => {
  const ws = new FakeWebSocket();
  const opening = BridgeSession.open(ws, 'ABC234', 'device-key-1');
  ws.onopen?.({});
  assert.deepEqual(JSON.parse(ws.sent[0] as string), { t: 'hello', v: PROTOCOL_VERSION, lab: 'ABC234', device: 'device-key-1' });
  ws.serverSays({ t: 'error', code: 'unknown-lab', msg: 'there is no lab with the code ABC234' });
  ws.onclose?.({ code: CLOSE_CODES.UNKNOWN_LAB, reason: 'unknown lab' });
  await assert.rejects(opening, (err: unknown) => {
    assert.ok(err instanceof BridgeClosedError);
    assert.equal(err.message, 'there is no lab with the code ABC234');
    assert.equal(err.closeCode, CLOSE_CODES.UNKNOWN_LAB);
    return true;
  });
});

test('after the welcome: notices go to their listeners; a close keeps its code', async () => {
  const ws = new FakeWebSocket();
  const opening = BridgeSession.open(ws, 'ABC234', 'device-key-1');
  ws.onopen?.({});
  ws.serverSays(WELCOME);
  const session = await opening;
  const notices: ServerNotice[] = [];
  const stop = session.onNotice((n) => notices.push(n));
  ws.serverSays({ t: 'error', code: 'limit', msg: 'this console has 64 sockets open, the most the lab allows' });
  stop();
  assert.deepEqual(notices, [{ code: 'limit', msg: 'this console has 64 sockets open, the most the lab allows' }]);
  const reasons: string[] = [];
  session.onClose((reason) => reasons.push(reason));
  ws.onclose?.({ code: CLOSE_CODES.LAB_CLOSED, reason: 'the teacher closed this lab' });
  assert.deepEqual(reasons, ['the teacher closed this lab']);
  assert.equal(session.closeCode, CLOSE_CODES.LAB_CLOSED);
  await assert.rejects(session.call({ op: 'ps' }), (err: unknown) => err instanceof BridgeClosedError && err.closeCode === CLOSE_CODES.LAB_CLOSED);
});
