// Programs 1 and 2 as built-ins in two consoles of one lab, over real TCP.

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { startLabServer, waitListening, type TestLabServer } from './support/lab-server.ts';
import { runBuiltin } from './support/run-builtin.ts';

let server: TestLabServer;
beforeAll(async () => {
  server = await startLabServer();
});
afterAll(() => server.close());

test('basic_server and basic_client in two consoles of one device', async () => {
  const code = await server.createLab();
  const one = await server.openConsole(code, 'device-aaaaaaaa');
  const two = await server.openConsole(code, 'device-aaaaaaaa');
  assert.equal(one.welcome.device.address, two.welcome.device.address);

  const srv = await runBuiltin(one, 'basic_server');
  await waitListening(server, code, 12345);
  const cli = await runBuiltin(two, 'basic_client', ['127.0.0.1', '12345']);
  await Promise.all([srv.done, cli.done]);
  assert.match(srv.console.text, /^Connected to: \('127\.0\.0\.1', \d+\)\n$/);
  assert.equal(cli.console.text, "Enter IPv4 address of server: Enter port number of server: b'Hello from server\\n'\n");
  const port = Number(/(\d+)\)/.exec(srv.console.text)![1]);
  assert.ok(port >= 1024 && port <= 65535, 'a real ephemeral port');
  const rows = await (await fetch(`${server.baseUrl}/api/labs/${code}/netstat`)).json();
  assert.deepEqual(rows, [], 'both programs ended and closed their sockets');
});
