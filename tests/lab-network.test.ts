// The lab's virtual network over real TCP: addresses, port spaces and CPython's errors,
// through the same socket API the built-ins use (ProgramProcess.socket()).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { PyException } from '../shared/py-exception.ts';
import { utf8Encode } from '../shared/utf8.ts';
import { ProgramProcess } from '../web/programs/program-process.ts';
import type { BridgeSession } from '../web/bridge/bridge-session.ts';
import { startLabServer, waitListening, type TestLabServer } from './support/lab-server.ts';
import { runBuiltin } from './support/run-builtin.ts';

let server: TestLabServer;
before(async () => {
  server = await startLabServer();
});
after(() => server.close());

async function raises(promise: Promise<unknown>, line: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof PyException, `expected a PyException, got ${String(err)}`);
    assert.equal(err.toString(), line);
    return true;
  });
}

async function twoDevices(): Promise<{ code: string; a: BridgeSession; b: BridgeSession }> {
  const code = await server.createLab();
  const a = await server.openConsole(code, `dev-a-${code}`);
  const b = await server.openConsole(code, `dev-b-${code}`);
  return { code, a, b };
}

test('each device has its own lab address', async () => {
  const { a, b } = await twoDevices();
  assert.match(a.welcome.device.address, /^10\.\d+\.0\.2$/);
  assert.match(b.welcome.device.address, /^10\.\d+\.0\.3$/);
  const info = await a.call({ op: 'ipconfig' });
  assert.equal(info.address, a.welcome.device.address);
});

test('bind errors are CPython-on-Linux errors', async () => {
  const { a, b } = await twoDevices();
  const p = await ProgramProcess.spawn(a, 'nc', []);
  await raises((await p.socket()).bind(['127.0.0.1', 80]), 'PermissionError: [Errno 13] Permission denied');
  await raises((await p.socket()).bind(['127.0.0.1', 70000]), 'OverflowError: bind(): port must be 0-65535.');
  await raises((await p.socket()).bind(['127.0.0.1', -1]), 'OverflowError: bind(): port must be 0-65535.');
  await raises((await p.socket()).bind([b.welcome.device.address, 5000]), 'OSError: [Errno 99] Cannot assign requested address');
  await raises((await p.socket()).bind(['1.2.3.4', 5000]), 'OSError: [Errno 99] Cannot assign requested address');
  await raises((await p.socket()).bind(['no.such.host', 5000]), 'socket.gaierror: [Errno -2] Name or service not known');
  const first = await p.socket();
  await first.bind(['0.0.0.0', 5000]);
  await raises(first.bind(['0.0.0.0', 5001]), 'OSError: [Errno 22] Invalid argument');
  await raises((await p.socket()).bind(['127.0.0.1', 5000]), 'OSError: [Errno 98] Address already in use');
  await raises((await p.socket()).bind([a.welcome.device.address, 5000]), 'OSError: [Errno 98] Address already in use');
  // Another device has its own port space.
  const q = await ProgramProcess.spawn(b, 'nc', []);
  await (await q.socket()).bind(['0.0.0.0', 5000]);
  // 127.1 is 127.0.0.1 to CPython (inet_aton), and bind(('', 0)) picks an ephemeral port.
  const odd = await p.socket();
  await odd.bind(['127.1', 0]);
  const [host, port] = await odd.getsockname();
  assert.equal(host, '127.0.0.1');
  assert.ok(port >= 32768 && port <= 60999);
  await p.exit();
  await q.exit();
});

test('connect errors, and what 127.0.0.1 and 0.0.0.0 mean', async () => {
  const { a, b } = await twoDevices();
  const pa = await ProgramProcess.spawn(a, 'nc', []);
  const pb = await ProgramProcess.spawn(b, 'nc', []);
  await raises((await pb.socket()).connect(['127.0.0.1', 12345]), 'ConnectionRefusedError: [Errno 111] Connection refused');
  await raises((await pb.socket()).connect(['127.0.0.1', 65536]), 'OverflowError: connect(): port must be 0-65535.');
  // A loopback listener on device A: A reaches it, B does not (B's 127.0.0.1 is B itself).
  const local = await pa.socket();
  await local.bind(['127.0.0.1', 12345]);
  await local.listen();
  await raises((await pb.socket()).connect(['127.0.0.1', 12345]), 'ConnectionRefusedError: [Errno 111] Connection refused');
  await raises((await pb.socket()).connect([a.welcome.device.address, 12345]), 'ConnectionRefusedError: [Errno 111] Connection refused');
  const mine = await pa.socket();
  await mine.connect(['127.0.0.1', 12345]);
  const [, mineAddr] = await local.accept();
  assert.equal(mineAddr[0], '127.0.0.1');
  // A listener on 0.0.0.0 takes the other device, which it sees at its lab address.
  const all = await pa.socket();
  await all.bind(['0.0.0.0', 6789]);
  await all.listen();
  const fromB = await pb.socket();
  await fromB.connect([a.welcome.device.address, 6789]);
  const [conn, peer] = await all.accept();
  assert.equal(peer[0], b.welcome.device.address);
  assert.deepEqual(await fromB.getsockname(), peer, "the client's own address is what the server sees");
  assert.deepEqual(await conn.getsockname(), [a.welcome.device.address, 6789]);
  assert.deepEqual(await fromB.getpeername(), [a.welcome.device.address, 6789]);
  // Nothing else is reachable.
  const labBase = a.welcome.device.address.replace(/\.2$/, '');
  await raises((await pb.socket()).connect([`${labBase}.99`, 80]), 'OSError: [Errno 113] No route to host');
  await raises((await pb.socket()).connect(['8.8.8.8', 53]), 'OSError: [Errno 101] Network is unreachable');
  await raises((await pb.socket()).connect(['example.com', 80]), 'socket.gaierror: [Errno -2] Name or service not known');
  await pa.exit();
  await pb.exit();
});

test('socket state errors', async () => {
  const { a } = await twoDevices();
  const p = await ProgramProcess.spawn(a, 'nc', []);
  await raises((await p.socket()).recv(1024), 'OSError: [Errno 107] Transport endpoint is not connected');
  await raises((await p.socket()).sendall(utf8Encode('x')), 'BrokenPipeError: [Errno 32] Broken pipe');
  await raises((await p.socket()).accept(), 'OSError: [Errno 22] Invalid argument');
  await raises((await p.socket()).getpeername(), 'OSError: [Errno 107] Transport endpoint is not connected');
  await raises((await p.socket()).shutdown(1), 'OSError: [Errno 107] Transport endpoint is not connected');
  const closed = await p.socket();
  await closed.close();
  await raises(closed.recv(1), 'OSError: [Errno 9] Bad file descriptor');
  const timed = await p.socket();
  timed.settimeout(0.05);
  await timed.bind(['127.0.0.1', 0]);
  await timed.listen();
  await raises(timed.accept(), 'TimeoutError: timed out');
  timed.settimeout(0);
  await raises(timed.accept(), 'BlockingIOError: [Errno 11] Resource temporarily unavailable');
  await p.exit();
});

test('the built-ins print the last line of the traceback', async () => {
  const code = await server.createLab();
  const one = await server.openConsole(code, 'dev-errors-1');
  const refused = await runBuiltin(one, 'basic_client', ['127.0.0.1', '12345']);
  await refused.done;
  assert.equal(
    refused.console.text,
    'Enter IPv4 address of server: Enter port number of server: ConnectionRefusedError: [Errno 111] Connection refused\n',
  );
  const notNumber = await runBuiltin(one, 'basic_client', ['127.0.0.1', 'abc']);
  await notNumber.done;
  assert.match(notNumber.console.text, /ValueError: invalid literal for int\(\) with base 10: 'abc'\n$/);
  const first = await runBuiltin(one, 'basic_server');
  await waitListening(server, code, 12345);
  const second = await runBuiltin(one, 'basic_server');
  await second.done;
  assert.equal(second.console.text, 'OSError: [Errno 98] Address already in use\n');
  first.interrupt();
  await first.done;
  assert.equal(first.console.text, 'KeyboardInterrupt\n');
});

test('a closed tab closes its sockets: the peer reads end of stream', async () => {
  const { a, b } = await twoDevices();
  const pa = await ProgramProcess.spawn(a, 'nc', []);
  const listener = await pa.socket();
  await listener.bind(['0.0.0.0', 7000]);
  await listener.listen();
  const pb = await ProgramProcess.spawn(b, 'nc', []);
  const client = await pb.socket();
  await client.connect([a.welcome.device.address, 7000]);
  const [conn] = await listener.accept();
  await client.sendall(utf8Encode('hi\n'));
  assert.deepEqual(await conn.recv(1024), utf8Encode('hi\n'));
  b.close(); // the tab of device B closes
  assert.equal((await conn.recv(1024)).length, 0);
  const rows = await a.call({ op: 'netstat' });
  assert.equal(rows.find((r) => r.local.endsWith(':7000') && r.state !== 'LISTENING')?.state, 'CLOSE_WAIT');
  await pa.exit();
});

test('a native program on the host connects to a lab listener through its real port', async () => {
  const code = await server.createLab();
  const a = await server.openConsole(code, 'dev-native-1');
  const p = await ProgramProcess.spawn(a, 'nc', []);
  const listener = await p.socket();
  await listener.bind(['127.0.0.1', 3456]);
  await listener.listen();
  const row = await waitListening(server, code, 3456);
  const native = net.connect({ host: '127.0.0.1', port: row.realPort });
  await new Promise((r) => native.once('connect', r));
  const [conn, peer] = await listener.accept();
  assert.deepEqual(peer, ['127.0.0.1', native.localPort]);
  native.write('MOVE5\n');
  assert.equal(Buffer.from(await conn.recv(1024)).toString(), 'MOVE5\n');
  await conn.sendall(utf8Encode('END\n'));
  const got = await new Promise<string>((r) => native.once('data', (d) => r(d.toString())));
  assert.equal(got, 'END\n');
  native.destroy();
  await p.exit();
});

test('backpressure: a peer that does not read makes sendall wait, with bounded buffers', async () => {
  const { code, a, b } = await twoDevices();
  const pa = await ProgramProcess.spawn(a, 'nc', []);
  const listener = await pa.socket();
  await listener.bind(['0.0.0.0', 7100]);
  await listener.listen();
  const pb = await ProgramProcess.spawn(b, 'nc', []);
  const sender = await pb.socket();
  await sender.connect([a.welcome.device.address, 7100]);
  const [receiver] = await listener.accept();
  const total = 32 * 1024 * 1024;
  const block = new Uint8Array(1024 * 1024).fill(0x61);
  let sent = 0;
  const sending = (async () => {
    while (sent < total) {
      await sender.sendall(block);
      sent += block.length;
    }
  })();
  // Read a little, then stop: the sender must stall well short of the total.
  assert.equal((await receiver.recv(10)).length, 10);
  let stalledAt = -1;
  for (let i = 0; i < 50; i++) {
    const before = sent;
    await new Promise((r) => setImmediate(r));
    await a.call({ op: 'ps' }); // a round trip through the server
    if (sent === before && sent < total) stalledAt = sent;
  }
  assert.ok(stalledAt >= 0 && stalledAt < total, `sendall kept going: ${sent} of ${total} bytes`);
  // What the server itself holds for the two sockets stays bounded.
  let held = 0;
  for (const s of server.registry.get(code)!.allSockets()) held += s.heldBytes();
  assert.ok(held <= 2 * 1024 * 1024, `the server holds ${held} bytes`);
  // Now read everything: the sender finishes and nothing is lost.
  let received = 10;
  while (received < total) received += (await receiver.recv(1024 * 1024)).length;
  await sending;
  assert.equal(received, total);
  await pa.exit();
  await pb.exit();
});

test('real listeners are on loopback, or on every interface with --expose', async () => {
  for (const expose of [false, true]) {
    const own = expose ? await startLabServer({ expose: true }) : server;
    try {
      const code = await own.createLab();
      const session = await own.openConsole(code, `dev-expose-${expose}`);
      const p = await ProgramProcess.spawn(session, 'nc', []);
      const listener = await p.socket();
      await listener.bind(['0.0.0.0', 8123]);
      await listener.listen();
      const [sock] = [...own.registry.get(code)!.allSockets()];
      const address = sock!.realServer!.address() as net.AddressInfo;
      assert.equal(address.address, expose ? '0.0.0.0' : '127.0.0.1');
      await p.exit();
    } finally {
      if (expose) await own.close();
    }
  }
});

test('a connection the client closed before accept() is accepted and reads as ended', async () => {
  const { a, b } = await twoDevices();
  const pa = await ProgramProcess.spawn(a, 'nc', []);
  const listener = await pa.socket();
  await listener.bind(['0.0.0.0', 7200]);
  await listener.listen();
  const pb = await ProgramProcess.spawn(b, 'nc', []);
  const client = await pb.socket();
  await client.connect([a.welcome.device.address, 7200]);
  await client.sendall(utf8Encode('bye\n'));
  await client.close();
  const [conn, peer] = await listener.accept();
  assert.equal(peer[0], b.welcome.device.address);
  assert.deepEqual(await conn.recv(1024), utf8Encode('bye\n'));
  assert.equal((await conn.recv(1024)).length, 0);
  await pa.exit();
  await pb.exit();
});

test('a reset is reported once; then recv reads the end and send gives EPIPE, as on Linux', async () => {
  const { a, b } = await twoDevices();
  const pa = await ProgramProcess.spawn(a, 'nc', []);
  const listener = await pa.socket();
  await listener.bind(['0.0.0.0', 7300]);
  await listener.listen();
  const pb = await ProgramProcess.spawn(b, 'nc', []);
  const client = await pb.socket();
  await client.connect([a.welcome.device.address, 7300]);
  const [conn] = await listener.accept();
  await client.sendall(utf8Encode('never read\n'));
  // The server reads nothing and closes: unread data makes it a reset.
  await waitUntilServerHas(conn);
  await conn.close();
  await raises(client.recv(1024), 'ConnectionResetError: [Errno 104] Connection reset by peer');
  await raises(client.sendall(utf8Encode('x')), 'BrokenPipeError: [Errno 32] Broken pipe');
  assert.equal((await client.recv(1024)).length, 0);
  await pa.exit();
  await pb.exit();
});

/** Waits until bytes sent to a socket have reached it (its program could read them now). */
async function waitUntilServerHas(sock: object): Promise<void> {
  const socket = sock as unknown as { received: { length: number } };
  while (socket.received.length === 0) await new Promise<void>((resolve) => setImmediate(resolve));
}
