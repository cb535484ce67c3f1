// The lab's virtual network over real TCP: addresses, port spaces and CPython's errors,
// through the same socket API the built-ins use (ProgramProcess.socket()).

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import net from 'node:net';
import { PyException } from '../shared/py-exception.ts';
import { utf8Encode } from '../shared/utf8.ts';
import { ProgramProcess } from '../web/common/programs/program-process.ts';
import type { BridgeSession } from '../web/common/bridge/bridge-session.ts';
import type { BridgeSocket } from '../web/common/net/bridge-socket.ts';
import { startLabServer, waitListening, type TestLabServer } from './support/lab-server.ts';
import { runBuiltin } from './support/run-builtin.ts';
import { MAX_UNACKED_WRITE_BYTES } from '../server/net/lab-socket.ts';
import { MAX_DATA_FRAME_PAYLOAD_BYTES } from '../shared/data-frame.ts';

let server: TestLabServer;
beforeAll(async () => {
  server = await startLabServer();
});
afterAll(() => server.close());

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

test('backpressure: a peer that never reads while its partner sends 200 MB: sendall waits, the server holds a bounded amount', async () => {
  const { code, a, b } = await twoDevices();
  const pa = await ProgramProcess.spawn(a, 'nc', []);
  const listener = await pa.socket();
  await listener.bind(['0.0.0.0', 7100]);
  await listener.listen();
  const pb = await ProgramProcess.spawn(b, 'nc', []);
  const sender = await pb.socket();
  await sender.connect([a.welcome.device.address, 7100]);
  const [receiver] = await listener.accept();
  const total = 200 * 1024 * 1024;
  const block = new Uint8Array(1024 * 1024).fill(0x61);
  let sent = 0;
  let failure: unknown = null;
  const sending = (async () => {
    while (sent < total) {
      await sender.sendall(block);
      sent += block.length;
    }
  })().catch((err: unknown) => {
    failure = err;
  });
  // Read a little, then stop; watch the server's buffers at every round trip until the sender
  // has made no progress over many of them.
  assert.equal((await receiver.recv(10)).length, 10);
  const recvWindowBytes = server.network.limits.bufferedBytesPerSocket;
  // Per socket: what the page may have unacknowledged, what the paused real socket has read,
  // and what is on its way to the page (its receive window and one chunk over).
  const bound = 2 * (MAX_UNACKED_WRITE_BYTES + 16 * 1024 + recvWindowBytes + MAX_DATA_FRAME_PAYLOAD_BYTES);
  let maxHeld = 0;
  for (let unchanged = 0; unchanged < 20; ) {
    const before = sent;
    await a.call({ op: 'ps' }); // a round trip through the server
    maxHeld = Math.max(maxHeld, serverHeldBytes(code));
    unchanged = sent === before ? unchanged + 1 : 0;
  }
  assert.ok(sent < total / 10, `sendall kept going: ${sent} of ${total} bytes`);
  assert.ok(maxHeld <= bound, `the server held ${maxHeld} bytes (bound ${bound})`);
  // Reading again lets the sender go on, and nothing is lost or changed on the way.
  const more = sent + 8 * 1024 * 1024;
  let received = 10;
  while (received < more) {
    const chunk = await receiver.recv(1024 * 1024);
    assert.ok(chunk.length > 0 && chunk.every((byte) => byte === 0x61), 'the bytes arrive as sent');
    received += chunk.length;
  }
  assert.ok(sent < total, 'the test stops the sender long before 200 MB');
  // The receiver closes with data unread: a reset, and the sender's sendall raises it.
  await receiver.close();
  await sending;
  assert.ok(failure instanceof PyException, `the sender stopped with ${String(failure)}`);
  await pa.exit();
  await pb.exit();
});

/** What the server itself holds of a lab's data: its sockets' buffers and the WebSockets' queues. */
function serverHeldBytes(code: string): number {
  let held = 0;
  for (const s of server.registry.get(code)!.allSockets()) held += s.heldBytes();
  for (const ws of server.app.websocketServer.clients) held += ws.bufferedAmount;
  return held;
}

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
  const socket = sock as BridgeSocket;
  while (socket.bufferedBytes === 0) await new Promise<void>((resolve) => setImmediate(resolve));
}
