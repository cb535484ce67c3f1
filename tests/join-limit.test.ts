// Lab codes cannot be found by trying: an address that tries too many wrong codes, over HTTP or
// over the bridge, waits; a right code keeps working for everyone else.

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { CLOSE_CODES, PROTOCOL_VERSION } from '../shared/bridge-protocol.ts';
import { startLabServer, type TestLabServer } from './support/lab-server.ts';

const ATTEMPTS = 5;
let server: TestLabServer;
beforeAll(async () => {
  server = await startLabServer({ joinAttemptsPerMinute: ATTEMPTS });
});
afterAll(() => server.close());

/** Says hello with a lab code; resolves with the close code, or 'welcome'. */
function hello(lab: string): Promise<number | 'welcome'> {
  const ws = new WebSocket(server.wsUrl);
  return new Promise((resolve, reject) => {
    ws.on('open', () => ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, lab, device: 'limit-test-device' })));
    ws.on('message', (data) => {
      if ((JSON.parse(data.toString()) as { t: string }).t === 'welcome') {
        ws.close();
        resolve('welcome');
      }
    });
    ws.on('close', (code) => resolve(code));
    ws.on('error', reject);
  });
}

test('wrong codes over HTTP and the bridge count together; past the limit both say wait', async () => {
  const right = await server.createLab();
  for (let i = 0; i < ATTEMPTS - 1; i++) {
    assert.equal((await fetch(`${server.baseUrl}/api/labs/ZZZZZ${i}`)).status, 404);
  }
  assert.equal(await hello('NOSUCH'), CLOSE_CODES.UNKNOWN_LAB);
  const refused = await fetch(`${server.baseUrl}/api/labs/${right}`);
  assert.equal(refused.status, 429);
  assert.ok(Number(refused.headers.get('retry-after')) > 0);
  assert.match(((await refused.json()) as { error: string }).error, /too many wrong lab codes from this computer: try again in \d+ s/);
  assert.equal(await hello(right), CLOSE_CODES.TOO_MANY_ATTEMPTS);
  // Creating a lab is not joining one: it still works.
  assert.equal((await fetch(`${server.baseUrl}/api/labs`, { method: 'POST' })).status, 201);
});

test('a Check report to a wrong code counts as a wrong code too', async () => {
  const own = await startLabServer({ joinAttemptsPerMinute: 2 });
  try {
    const right = await own.createLab();
    const report = (code: string) =>
      fetch(`${own.baseUrl}/api/labs/${code}/checks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal((await report('WRONG1')).status, 404);
    assert.equal((await report('WRONG2')).status, 404);
    const refused = await report(right);
    assert.equal(refused.status, 429, 'the right code waits too');
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
  } finally {
    await own.close();
  }
});
