import { test } from 'vitest';
import assert from 'node:assert/strict';
import net from 'node:net';
import { isHostAddress, OwnListeners } from './own-listeners.ts';

async function listening(host: string): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen({ port: 0, host }, () => r()));
  return server;
}

const portOf = (s: net.Server) => (s.address() as net.AddressInfo).port;

test('a loopback listener covers 127.0.0.1 and 0.0.0.0 at its port, nothing else', async () => {
  const own = new OwnListeners();
  const server = await listening('127.0.0.1');
  own.add(server);
  const port = portOf(server);
  assert.equal(own.covers('127.0.0.1', port), true);
  assert.equal(own.covers('0.0.0.0', port), true, 'Linux sends a connect to 0.0.0.0 to 127.0.0.1');
  assert.equal(own.covers('::ffff:127.0.0.1', port), true);
  assert.equal(own.covers('127.0.0.2', port), false, 'bound to 127.0.0.1 alone');
  assert.equal(own.covers('127.0.0.1', port === 65535 ? 1 : port + 1), false);
  assert.equal(own.covers('8.8.8.8', port), false);
  server.close();
  assert.equal(own.covers('127.0.0.1', port), false, 'not once close() was called');
});

test('a listener on every interface covers every address of this machine at its port, none elsewhere', async () => {
  const own = new OwnListeners();
  const server = await listening('0.0.0.0');
  own.add(server);
  const port = portOf(server);
  for (const ip of ['127.0.0.1', '127.0.0.2', '0.0.0.0']) assert.equal(own.covers(ip, port), true, ip);
  assert.equal(own.covers('192.168.255.254', port), isHostAddress('192.168.255.254'));
  assert.equal(own.covers('8.8.8.8', port), false, 'another machine');
  await new Promise<void>((r) => server.close(() => r()));
});

test('a server added before it listens is covered once it does (the HTTP server)', async () => {
  const own = new OwnListeners();
  const server = net.createServer();
  own.add(server);
  assert.equal(own.covers('127.0.0.1', 1), false);
  await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1' }, () => r()));
  assert.equal(own.covers('127.0.0.1', portOf(server)), true);
  await new Promise<void>((r) => server.close(() => r()));
});

test('isHostAddress: loopback, 0.0.0.0 and the interfaces are this machine', () => {
  assert.equal(isHostAddress('127.0.0.1'), true);
  assert.equal(isHostAddress('127.9.9.9'), true);
  assert.equal(isHostAddress('0.0.0.0'), true);
  assert.equal(isHostAddress('8.8.8.8'), false);
});

test("another process's port of the server (the front of --workers N) is covered on this machine's addresses only", () => {
  const own = new OwnListeners();
  own.addPort(8080);
  assert.ok(own.covers('127.0.0.1', 8080));
  assert.ok(own.covers('0.0.0.0', 8080));
  assert.ok(!own.covers('127.0.0.1', 8081));
  assert.ok(!own.covers('192.0.2.1', 8080), 'not this machine');
});
