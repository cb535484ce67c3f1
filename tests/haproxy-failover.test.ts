// Two real server processes behind HAProxy (deploy/haproxy.cfg): a console through HAProxy on
// the instance its lab's code routes to; that instance killed (SIGKILL, as a crash); the
// console is cut, HAProxy takes the instance out, and the code now reaches the other one.
// Needs the built page (npm run build; npm test builds first).

import { afterAll, beforeAll, onTestFinished, test } from 'vitest';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';
import { startHaproxy, type TestHaproxy } from './support/haproxy.ts';
import { INSTANCE_HEADER } from '../server/http/instance-header.ts';
import { BridgeSession, BridgeClosedError, type WebSocketLike } from '../web/common/bridge/bridge-session.ts';

const instances: ServerProcess[] = [];
let haproxy: TestHaproxy;

beforeAll(async () => {
  // Each with a data folder of its own: until the store is shared, each instance keeps its labs.
  for (const name of ['lab1', 'lab2']) {
    instances.push(await startServerProcess({ workers: 1, args: ['--instance-name', name, '--trust-proxy', '127.0.0.1'] }));
  }
  haproxy = await startHaproxy(instances.map((i) => `127.0.0.1:${i.port}`));
}, 120_000);

afterAll(async () => {
  await haproxy?.stop();
  for (const i of instances) await i.stop();
});

async function answeredBy(path: string): Promise<string> {
  const res = await fetch(`${haproxy.baseUrl}${path}`);
  await res.arrayBuffer();
  return res.headers.get(INSTANCE_HEADER) ?? `(none: ${res.status})`;
}

test('an instance killed: its consoles are cut, HAProxy takes it out, its codes reach the other', async () => {
  // A lab made on the instance its code routes to (until the store is shared, a lab is only
  // on the instance that made it: docs/scaling.md).
  let code = '';
  let owner = -1;
  for (let tries = 0; owner < 0; tries++) {
    const i = tries % 2;
    code = await instances[i]!.createLab();
    if ((await answeredBy(`/lab/${code}`)) === `lab${i + 1}`) owner = i;
  }
  const other = 1 - owner;
  const ws = new WebSocket(`ws://127.0.0.1:${haproxy.port}/ws?lab=${code}`) as unknown as WebSocketLike;
  const session = await BridgeSession.open(ws, code, 'failover-device');
  onTestFinished(() => session.close());
  assert.equal(session.welcome.lab, code);
  const cut = new Promise<void>((resolve) => (ws as unknown as WebSocket).once('close', () => resolve()));

  await instances[owner]!.kill();
  await cut;
  await haproxy.waitServer(`lab${owner + 1}`, 'DOWN');
  assert.equal(await answeredBy(`/lab/${code}`), `lab${other + 1}`);
  assert.equal(await answeredBy(`/api/labs/${code}/netstat`), `lab${other + 1}`);
  // A console opened again reaches the other instance (which, until the store is shared,
  // does not know the lab yet: it answers that no lab has the code).
  const again = new WebSocket(`ws://127.0.0.1:${haproxy.port}/ws?lab=${code}`) as unknown as WebSocketLike;
  const upgradedBy = new Promise<string>((resolve) =>
    (again as unknown as WebSocket).once('upgrade', (res) => resolve(String(res.headers[INSTANCE_HEADER]))),
  );
  await BridgeSession.open(again, code, 'failover-device').then(
    (s) => s.close(),
    (err: unknown) => assert.ok(err instanceof BridgeClosedError, String(err)),
  );
  assert.equal(await upgradedBy, `lab${other + 1}`);
});
