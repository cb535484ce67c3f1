// The lab's limits (--limit NAME=N, server/limits.ts), each reached with a small value on a
// real server: the exact Python error a program raises, the sentence its page is told, and
// that nothing else is touched (another lab, the server's health). A page that floods or
// keeps sending bad messages is refused, then disconnected; a peer that never reads keeps the
// server's buffers bounded however much is sent.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { CLOSE_CODES, PROTOCOL_VERSION } from '../shared/bridge-protocol.ts';
import { encodePageFrame, MAX_DATA_FRAME_PAYLOAD_BYTES } from '../shared/data-frame.ts';
import { PyException } from '../shared/py-exception.ts';
import { decodeSyncFrame, encodeSyncFrame, type SyncRequest } from '../shared/sync-protocol.ts';
import { utf8Encode } from '../shared/utf8.ts';
import { defaultLimits, type Limits } from '../server/limits.ts';
import { MAX_UNACKED_WRITE_BYTES } from '../server/net/lab-socket.ts';
import { PAGE_SEND_WINDOW_BYTES } from '../shared/data-frame.ts';
import { BridgeClosedError, BridgeSession, type ServerNotice, type WebSocketLike } from '../web/common/bridge/bridge-session.ts';
import type { PySocket } from '../web/common/net/py-socket.ts';
import type { BridgeSocket } from '../web/common/net/bridge-socket.ts';
import { ProgramProcess } from '../web/common/programs/program-process.ts';
import { startLabServer, type TestLabServer } from './support/lab-server.ts';

/** A server with some limits changed from their defaults, closed after fn. */
async function withServer(changed: Partial<Limits>, fn: (server: TestLabServer) => Promise<void>): Promise<void> {
  const server = await startLabServer({ limits: { ...defaultLimits(), ...changed } });
  try {
    await fn(server);
    await stillFine(server);
  } finally {
    await server.close();
  }
}

/** Going over a limit touched nothing else: the server answers, and a new lab works (in
 * at most 10 messages, the least messages-per-second there is). */
async function stillFine(server: TestLabServer): Promise<void> {
  assert.equal((await fetch(`${server.baseUrl}/healthz`)).status, 200);
  const code = await server.createLab();
  const session = await server.openConsole(code, `other-lab-${code}`);
  const p = await ProgramProcess.spawn(session, 'nc', []);
  const listener = await p.socket();
  await listener.bind(['127.0.0.1', 9999]);
  await listener.listen();
  const client = await p.socket();
  await client.connect(['127.0.0.1', 9999]);
  const [, peer] = await listener.accept();
  assert.equal(peer[0], '127.0.0.1');
  await p.exit();
}

async function raises(promise: Promise<unknown>, line: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof PyException, `expected a PyException, got ${String(err)}`);
    assert.equal(err.toString(), line);
    return true;
  });
}

/** The {t:'error'} messages a console hears, to wait on. */
function notices(session: BridgeSession): { all: ServerNotice[]; next(): Promise<ServerNotice> } {
  const all: ServerNotice[] = [];
  let waiters: ((n: ServerNotice) => void)[] = [];
  let seen = 0;
  session.onNotice((n) => {
    all.push(n);
    for (const w of waiters.splice(0)) w(n);
  });
  return {
    all,
    next() {
      if (all.length > seen) return Promise.resolve(all[seen++]!);
      return new Promise((resolve) => waiters.push((n) => (seen++, resolve(n))));
    },
  };
}

const EMFILE = 'OSError: [Errno 24] Too many open files';
const ENFILE = 'OSError: [Errno 23] Too many open files in system';

test('sockets-per-console: socket() and accept() past it raise EMFILE; the connection waits in the queue', async () => {
  await withServer({ socketsPerConsole: 3 }, async (server) => {
    const code = await server.createLab();
    const a = await server.openConsole(code, 'device-limits-a');
    const heard = notices(a);
    const first = await ProgramProcess.spawn(a, 'nc', []);
    const second = await ProgramProcess.spawn(a, 'nc', []);
    // The console's programs together: two sockets in one, one in the other.
    const listener = await first.socket();
    await listener.bind(['0.0.0.0', 9000]);
    await listener.listen();
    const spare = await first.socket();
    await second.socket();
    await raises(second.socket(), EMFILE);
    assert.deepEqual(await heard.next(), {
      code: 'limit',
      msg: 'this console has 3 sockets open, the most the lab allows (--limit sockets-per-console)',
    });
    // Another console of the same device has its own count.
    const b = await server.openConsole(code, 'device-limits-a');
    const other = await ProgramProcess.spawn(b, 'nc', []);
    const client = await other.socket();
    await client.connect(['127.0.0.1', 9000]);
    await raises(listener.accept(), EMFILE);
    assert.equal((await heard.next()).code, 'limit');
    // As on Linux, the connection stays queued until there is a descriptor for it.
    await spare.close();
    const [conn, peer] = await listener.accept();
    assert.deepEqual(peer, await client.getsockname());
    await client.sendall(utf8Encode('queued\n'));
    assert.equal(Buffer.from(await conn.recv(100)).toString(), 'queued\n');
    await raises(first.socket(), EMFILE);
    await first.exit();
    await second.exit();
    await other.exit();
  });
});

test('sockets-per-device and sockets-per-lab: ENFILE; another device and another lab are not touched', async () => {
  await withServer({ socketsPerDevice: 3, socketsPerLab: 5 }, async (server) => {
    const code = await server.createLab();
    const one = await server.openConsole(code, 'device-limits-1');
    const two = await server.openConsole(code, 'device-limits-1');
    const heard = notices(two);
    const p1 = await ProgramProcess.spawn(one, 'nc', []);
    const p2 = await ProgramProcess.spawn(two, 'nc', []);
    await p1.socket();
    await p1.socket();
    await p2.socket();
    await raises(p2.socket(), ENFILE);
    assert.deepEqual(await heard.next(), {
      code: 'limit',
      msg: 'this device has 3 sockets open, the most the lab allows (--limit sockets-per-device)',
    });
    const other = await server.openConsole(code, 'device-limits-2');
    const otherHeard = notices(other);
    const p3 = await ProgramProcess.spawn(other, 'nc', []);
    await p3.socket();
    await p3.socket();
    await raises(p3.socket(), ENFILE);
    assert.deepEqual(await otherHeard.next(), {
      code: 'limit',
      msg: 'this lab has 5 sockets open, the most the server allows (--limit sockets-per-lab)',
    });
    // Another lab counts its own (stillFine opens a lab and sockets in it too).
    const code2 = await server.createLab();
    const elsewhere = await server.openConsole(code2, 'device-limits-1');
    const p4 = await ProgramProcess.spawn(elsewhere, 'nc', []);
    for (let i = 0; i < 3; i++) await p4.socket();
    await p4.exit();
    // Closing makes room again.
    await p1.exit();
    await p3.socket();
    await p2.exit();
    await p3.exit();
  });
});

test('listeners-per-device: listen() past it raises ENOBUFS and the socket stays as it was', async () => {
  await withServer({ listenersPerDevice: 2 }, async (server) => {
    const code = await server.createLab();
    const a = await server.openConsole(code, 'device-listen-1');
    const heard = notices(a);
    const p = await ProgramProcess.spawn(a, 'nc', []);
    const listeners: PySocket[] = [];
    for (const port of [9001, 9002]) {
      const s = await p.socket();
      await s.bind(['0.0.0.0', port]);
      await s.listen();
      listeners.push(s);
    }
    const third = await p.socket();
    await third.bind(['0.0.0.0', 9003]);
    await raises(third.listen(), 'OSError: [Errno 105] No buffer space available');
    assert.deepEqual(await heard.next(), {
      code: 'limit',
      msg: 'this device has 2 listening sockets, the most the lab allows (--limit listeners-per-device)',
    });
    const unbound = await p.socket();
    await raises(unbound.listen(), 'OSError: [Errno 105] No buffer space available');
    await raises(unbound.getpeername(), 'OSError: [Errno 107] Transport endpoint is not connected');
    assert.deepEqual(await unbound.getsockname(), ['0.0.0.0', 0], 'a refused listen() does not bind');
    const rows = await a.call({ op: 'netstat' });
    assert.deepEqual(rows.filter((r) => r.state === 'LISTENING').map((r) => r.local).sort(), ['0.0.0.0:9001', '0.0.0.0:9002']);
    // Another device has its own.
    const b = await server.openConsole(code, 'device-listen-2');
    const q = await ProgramProcess.spawn(b, 'nc', []);
    const theirs = await q.socket();
    await theirs.bind(['0.0.0.0', 9003]);
    await theirs.listen();
    await listeners[0]!.close();
    await third.listen();
    await p.exit();
    await q.exit();
  });
});

test('connections-per-second: a burst of connect() past it raises EADDRNOTAVAIL, per device', async () => {
  await withServer({ connectionsPerSecond: 3 }, async (server) => {
    const code = await server.createLab();
    const a = await server.openConsole(code, 'device-connect-1');
    const b = await server.openConsole(code, 'device-connect-2');
    const heard = notices(b);
    const pa = await ProgramProcess.spawn(a, 'nc', []);
    const listener = await pa.socket();
    await listener.bind(['0.0.0.0', 9100]);
    await listener.listen();
    const pb = await ProgramProcess.spawn(b, 'nc', []);
    const clients = await Promise.all(Array.from({ length: 6 }, () => pb.socket()));
    // All at once: the server sees them within the same moment, well inside one second.
    const outcomes = await Promise.allSettled(clients.map((c) => c.connect([a.welcome.device.address, 9100])));
    const refused = outcomes.filter((o) => o.status === 'rejected');
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 3);
    assert.equal(refused.length, 3);
    for (const o of refused) assert.equal(String((o as PromiseRejectedResult).reason), 'OSError: [Errno 99] Cannot assign requested address');
    assert.deepEqual(await heard.next(), {
      code: 'limit',
      msg: 'this device started 3 connections in the last second, the most the lab allows (--limit connections-per-second)',
    });
    // Device A's own connections are counted apart from B's.
    const mine = await pa.socket();
    await mine.connect(['127.0.0.1', 9100]);
    await pa.exit();
    await pb.exit();
  });
});

test('a Python program meets the same limits through its channel, counted with its console', async () => {
  await withServer({ socketsPerConsole: 3, messagesPerSecond: 10, badMessages: 1000 }, async (server) => {
    const code = await server.createLab();
    const session = await server.openConsole(code, 'device-python-1');
    const heard = notices(session);
    const builtin = await ProgramProcess.spawn(session, 'nc', []);
    await builtin.socket();
    await builtin.socket();
    const { pid, channel } = await session.call({ op: 'spawn', name: 'python', argv: [] });
    const ask = async (request: SyncRequest) => {
      const res = await fetch(`${server.baseUrl}/api/sync/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: Buffer.from(encodeSyncFrame(request)),
      });
      const frame = decodeSyncFrame(new Uint8Array(await res.arrayBuffer()));
      assert.ok(typeof frame !== 'string', 'an answer frame');
      return { status: res.status, message: frame.message as Record<string, unknown> };
    };
    assert.equal((await ask({ op: 'call', call: { op: 'socket', pid } })).status, 200);
    assert.deepEqual((await ask({ op: 'call', call: { op: 'socket', pid } })).message, {
      err: { type: 'OSError', errno: 24, msg: 'Too many open files' },
    });
    assert.deepEqual(await heard.next(), {
      code: 'limit',
      msg: 'this console has 3 sockets open, the most the lab allows (--limit sockets-per-console)',
    });
    // Messages per second: the console's WebSocket and its program's requests on one count.
    const burst = await Promise.all(Array.from({ length: 20 }, () => ask({ op: 'signal' })));
    const tooFast = burst.filter((r) => r.status === 429);
    assert.ok(tooFast.length >= 10, `${tooFast.length} of 20 refused`);
    assert.deepEqual(tooFast[0]!.message, {
      code: 'too-fast',
      error: 'this console sent 10 messages in the last second, the most the lab allows (--limit messages-per-second)',
    });
    // (Nothing more from this console: within the second it would be refused too.)
  });
});

/** A console's WebSocket opened by hand, to send what a well-behaved page never would. */
async function rawConsole(server: TestLabServer, code: string, device: string) {
  const ws = new WebSocket(server.wsUrl);
  const session = await BridgeSession.open(ws as unknown as WebSocketLike, code, device);
  const replies: Record<string, unknown>[] = [];
  let waiters: (() => void)[] = [];
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    replies.push(JSON.parse(data.toString()));
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (closeCode, reason) => resolve({ code: closeCode, reason: reason.toString() })),
  );
  return {
    ws,
    session,
    replies,
    closed,
    async until(ok: () => boolean): Promise<void> {
      while (!ok()) await new Promise<void>((resolve) => waiters.push(resolve));
    },
  };
}

test('messages-per-second: a flood is answered too-fast, counts as bad, and ends in 1008', async () => {
  await withServer({ messagesPerSecond: 10, badMessages: 3 }, async (server) => {
    const code = await server.createLab();
    const raw = await rawConsole(server, code, 'device-flood-1');
    // The hello was one message; 29 calls at once leave 9 answered, then too-fast.
    for (let id = 1000; id < 1029; id++) raw.ws.send(JSON.stringify({ t: 'call', id, op: 'ps' }));
    const end = await raw.closed;
    assert.deepEqual(end, { code: CLOSE_CODES.POLICY, reason: 'too many bad messages' });
    const results = raw.replies.filter((m) => m.t === 'result');
    const tooFast = raw.replies.filter((m) => m.code === 'too-fast');
    // Calls are answered when they finish, refusals at once: a result may come after the
    // refusals, or not at all once the console is closed, but never more than the 9 accepted.
    assert.ok(results.length <= 9, `${results.length} calls answered`);
    assert.equal(tooFast.length, 4, 'three bad messages are allowed, the fourth closes');
    assert.equal(tooFast[0]!.msg, 'this console sent 10 messages in the last second, the most the lab allows (--limit messages-per-second)');
    assert.deepEqual(raw.replies.filter((m) => m.t === 'error').at(-1), {
      t: 'error',
      code: 'limit',
      msg: 'this console sent more than 3 messages the server could not accept, so it is disconnected (--limit bad-messages)',
    });
  });
});

test('a well-behaved page stays under the default message rate: a 1 MiB sendall and 1000 small round trips', async () => {
  await withServer({}, async (server) => {
    const code = await server.createLab();
    const a = await server.openConsole(code, 'device-polite-1');
    const heard = notices(a);
    const p = await ProgramProcess.spawn(a, 'nc', []);
    const listener = await p.socket();
    await listener.bind(['127.0.0.1', 0]);
    await listener.listen();
    const client = await p.socket();
    await client.connect(await listener.getsockname());
    const [conn] = await listener.accept();
    const big = new Uint8Array(1024 * 1024).fill(0x62);
    const sending = client.sendall(big);
    let got = 0;
    while (got < big.length) got += (await conn.recv(big.length)).length;
    await sending;
    for (let i = 0; i < 1000; i++) {
      await client.sendall(utf8Encode('ping\n'));
      assert.equal((await conn.recv(100)).length, 5);
      await conn.sendall(utf8Encode('pong\n'));
      assert.equal((await client.recv(100)).length, 5);
    }
    assert.deepEqual(heard.all, []);
    await p.exit();
  });
});

test('bad-messages: past the limit the console is closed with 1008 and its programs and sockets go', async () => {
  await withServer({ badMessages: 3 }, async (server) => {
    const code = await server.createLab();
    const raw = await rawConsole(server, code, 'device-bad-1');
    const p = await ProgramProcess.spawn(raw.session, 'nc', []);
    const listener = await p.socket();
    await listener.bind(['0.0.0.0', 9200]);
    await listener.listen();
    const peer = await server.openConsole(code, 'device-bad-2');
    const q = await ProgramProcess.spawn(peer, 'nc', []);
    const client = await q.socket();
    await client.connect([raw.session.welcome.device.address, 9200]);
    const [conn] = await listener.accept();
    await conn.sendall(utf8Encode('before\n'));
    assert.equal(Buffer.from(await client.recv(100)).toString(), 'before\n');
    for (const bad of ['not json', '{"t":"nope"}', '{"t":"hello","v":1,"lab":"X","device":"y"}', '[]', '{}']) raw.ws.send(bad);
    const end = await raw.closed;
    assert.deepEqual(end, { code: CLOSE_CODES.POLICY, reason: 'too many bad messages' });
    assert.deepEqual(
      raw.replies.filter((m) => m.t === 'error').map((m) => m.code),
      ['bad-json', 'unknown-type', 'out-of-order', 'bad-message', 'limit'],
      'four answered (the fourth is past the limit), the notice, nothing more',
    );
    // As for a closed tab: the peer reads the end, and nothing of the console is left.
    assert.equal((await client.recv(100)).length, 0);
    const rows = await peer.call({ op: 'netstat' });
    assert.deepEqual(rows.filter((r) => r.device === raw.session.welcome.device.address), []);
    const device = server.registry.get(code)!.devices.get('device-bad-1')!;
    assert.deepEqual([...device.processes.keys()], [], 'the console and its programs are gone');
    assert.equal(device.consoles, 0);
    // The device itself is not banned: a fresh console works.
    const again = await server.openConsole(code, 'device-bad-1');
    await again.call({ op: 'ipconfig' });
    await q.exit();
  });
});

test('consoles-per-device: a hello past it is refused with an error and close 4003', async () => {
  await withServer({ consolesPerDevice: 2 }, async (server) => {
    const code = await server.createLab();
    const first = await server.openConsole(code, 'device-consoles-1');
    await server.openConsole(code, 'device-consoles-1');
    await assert.rejects(server.openConsole(code, 'device-consoles-1'), (err: unknown) => {
      assert.ok(err instanceof BridgeClosedError, `expected a BridgeClosedError, got ${String(err)}`);
      assert.equal(err.closeCode, CLOSE_CODES.FULL);
      assert.equal(err.message, 'this device has 2 consoles open, the most the lab allows; close one first (--limit consoles-per-device)');
      return true;
    });
    await server.openConsole(code, 'device-consoles-2');
    first.close();
    const device = server.registry.get(code)!.devices.get('device-consoles-1')!;
    while (device.consoles > 1) await new Promise((r) => setImmediate(r));
    await server.openConsole(code, 'device-consoles-1');
  });
});

test("bytes past the page's send window are refused, not buffered", async () => {
  await withServer({ badMessages: 1000 }, async (server) => {
    const code = await server.createLab();
    const raw = await rawConsole(server, code, 'device-window-1');
    const p = await ProgramProcess.spawn(raw.session, 'nc', []);
    const listener = await p.socket();
    await listener.bind(['127.0.0.1', 0]);
    await listener.listen();
    const { sock } = await raw.session.call({ op: 'socket', pid: p.pid });
    await raw.session.call({ op: 'connect', sock, host: '127.0.0.1', port: (await listener.getsockname())[1], timeoutMs: null });
    await listener.accept(); // and never read: the kernel's buffers fill, then the acks stop
    const frame = encodePageFrame(sock, new Uint8Array(MAX_DATA_FRAME_PAYLOAD_BYTES).fill(0x63), 0, false);
    const overWindow = () => raw.replies.some((m) => m.code === 'over-window');
    let sentBytes = 0;
    while (!overWindow()) {
      assert.ok(sentBytes < 256 * 1024 * 1024, 'the server never refused');
      for (let i = 0; i < 16; i++) raw.ws.send(frame);
      sentBytes += 16 * MAX_DATA_FRAME_PAYLOAD_BYTES;
      await raw.session.call({ op: 'ps' }); // a round trip: the server has read the frames
    }
    const acked = raw.replies.filter((m) => m.t === 'sent').reduce((n, m) => n + (m.bytes as number), 0);
    assert.ok(sentBytes - acked > MAX_UNACKED_WRITE_BYTES, 'refused only past the window');
    const held = [...server.registry.get(code)!.allSockets()].reduce((n, s) => n + s.heldBytes(), 0);
    assert.ok(held <= MAX_UNACKED_WRITE_BYTES + 2 * MAX_DATA_FRAME_PAYLOAD_BYTES, `the server holds ${held} bytes`);
    await p.exit();
  });
});

test('buffered-bytes: a socket holds at most that much unread on the page before its sender waits', async () => {
  const windowBytes = 16 * 1024;
  await withServer({ bufferedBytesPerSocket: windowBytes }, async (server) => {
    const code = await server.createLab();
    const a = await server.openConsole(code, 'device-buffered-1');
    const p = await ProgramProcess.spawn(a, 'nc', []);
    const listener = await p.socket();
    await listener.bind(['127.0.0.1', 0]);
    await listener.listen();
    const sender = await p.socket();
    await sender.connect(await listener.getsockname());
    const [receiver] = await listener.accept();
    const block = new Uint8Array(256 * 1024).fill(0x64);
    let sent = 0;
    const sending = (async () => {
      for (;;) {
        await sender.sendall(block);
        sent += block.length;
      }
    })().catch(() => undefined);
    for (let unchanged = 0; unchanged < 20; ) {
      const before = sent;
      await a.call({ op: 'ps' });
      unchanged = sent === before ? unchanged + 1 : 0;
    }
    // What reached the page unread: the window, and at most one chunk of the real socket over it.
    const unread = (receiver as BridgeSocket).bufferedBytes;
    assert.ok(unread >= windowBytes && unread < windowBytes + MAX_DATA_FRAME_PAYLOAD_BYTES, `${unread} bytes unread on the page`);
    p.terminate(); // the sender stops waiting (kill)
    await sending;
    await p.exit();
  });
});
