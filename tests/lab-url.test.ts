// The lab code in the bridge's URL (/ws?lab=CODE, shared/lab-routing.ts): a hello that names
// another lab is refused with a reason that says so; a URL without ?lab (a page loaded before)
// still works on a server of one process.

import { onTestFinished, test } from 'vitest';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { CLOSE_CODES, PROTOCOL_VERSION } from '../shared/bridge-protocol.ts';
import { WRONG_LAB_REASON } from '../server/bridge/join-handshake.ts';
import { startLabServer } from './support/lab-server.ts';

function helloOn(url: string, lab: string): Promise<{ first: string; close: { code: number; reason: string } }> {
  const ws = new WebSocket(url, { headers: { origin: new URL(url.replace(/^ws/, 'http')).origin } });
  let first = '';
  return new Promise((resolve, reject) => {
    ws.on('open', () => ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, lab, device: 'url-test-device' })));
    ws.on('message', (data) => {
      if (first === '') first = String(data);
      if (first.includes('"welcome"')) ws.close(1000, 'done');
    });
    ws.on('close', (code, reason) => resolve({ first, close: { code, reason: reason.toString() } }));
    ws.on('error', reject);
  });
}

test("a hello naming another lab than the URL's ?lab is refused, saying why", async () => {
  const server = await startLabServer();
  onTestFinished(() => server.close());
  const a = await server.createLab();
  const b = await server.createLab();
  const wrong = await helloOn(`${server.wsUrl}?lab=${a}`, b);
  assert.deepEqual(wrong.close, { code: CLOSE_CODES.POLICY, reason: WRONG_LAB_REASON });
  assert.match(wrong.first, new RegExp(`"code":"wrong-lab".*opened for lab ${a} .*names lab ${b}`));
  const right = await helloOn(`${server.wsUrl}?lab=${a.toLowerCase()}`, a);
  assert.match(right.first, /"t":"welcome"/);
  const old = await helloOn(server.wsUrl, b);
  assert.match(old.first, /"t":"welcome"/, 'no ?lab: one process still serves it');
});
