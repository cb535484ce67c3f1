// The bridge reaches nothing but lab listeners and the --allow list. Every forbidden
// destination is tried from a real console over a real WebSocket; each must fail with the
// error CPython would raise, and real TCP listeners on the host prove that no connection and
// no byte got out. Also: one lab cannot reach another, and another site's page cannot open
// the bridge (Origin).

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import net from 'node:net';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '../shared/bridge-protocol.ts';
import { PyException } from '../shared/py-exception.ts';
import { utf8Encode } from '../shared/utf8.ts';
import { ProgramProcess } from '../web/common/programs/program-process.ts';
import { startLabServer, waitListening, type TestLabServer } from './support/lab-server.ts';

/** A real listener on the host that records every connection and byte it gets. */
interface HostListener {
  port: number;
  /** Connections accepted, our own probes (seenAllSoFar) aside. */
  readonly connections: number;
  bytes: number;
  received: Buffer[];
  /** Resolves once the listener has been sent at least `count` bytes in all. */
  bytesArrived(count: number): Promise<void>;
  /**
   * Resolves once a probe connection made now has been accepted. The kernel queues
   * connections in order, so by then every connection made before this call has been seen:
   * this proves "nothing arrived" without waiting on a clock.
   */
  seenAllSoFar(): Promise<void>;
  close(): Promise<void>;
}

async function hostListener(): Promise<HostListener> {
  const sockets = new Set<net.Socket>();
  /** The remote port of every connection accepted, in order. */
  const acceptedFrom: number[] = [];
  const probePorts = new Set<number>();
  /** Called on every accept and every byte: each resolves its promise when its wait is over. */
  const waiters = new Set<() => boolean>();
  const wake = () => {
    for (const waiter of [...waiters]) if (waiter()) waiters.delete(waiter);
  };
  const waitFor = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      const waiter = () => done() && (resolve(), true);
      if (!waiter()) waiters.add(waiter);
    });
  const rec: HostListener = {
    port: 0,
    get connections() {
      return acceptedFrom.filter((port) => !probePorts.has(port)).length;
    },
    bytes: 0,
    received: [],
    bytesArrived: (count) => waitFor(() => rec.bytes >= count),
    seenAllSoFar: async () => {
      const probe = net.connect({ port: rec.port, host: '127.0.0.1' });
      await new Promise<void>((resolve, reject) => probe.once('connect', resolve).once('error', reject));
      const probePort = probe.localPort!;
      probePorts.add(probePort);
      await waitFor(() => acceptedFrom.includes(probePort));
      probe.destroy();
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
  const server = net.createServer((s) => {
    acceptedFrom.push(s.remotePort!);
    sockets.add(s);
    s.on('data', (d) => {
      rec.bytes += d.length;
      rec.received.push(d);
      wake();
    });
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    wake();
  });
  await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1' }, () => r()));
  rec.port = (server.address() as net.AddressInfo).port;
  return rec;
}

let server: TestLabServer;
let forbidden: HostListener;
let allowed: HostListener;

beforeAll(async () => {
  forbidden = await hostListener();
  allowed = await hostListener();
  server = await startLabServer({ allow: [{ host: '127.0.0.1', port: allowed.port }] });
});
afterAll(async () => {
  await server.close();
  await forbidden.close();
  await allowed.close();
});

async function raises(promise: Promise<unknown>, line: string | RegExp, what: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof PyException, `${what}: expected a PyException, got ${String(err)}`);
    if (typeof line === 'string') assert.equal(err.toString(), line, what);
    else assert.match(err.toString(), line, what);
    return true;
  });
}

const REFUSED = 'ConnectionRefusedError: [Errno 111] Connection refused';
const UNREACHABLE = 'OSError: [Errno 101] Network is unreachable';
const NO_NAME = 'socket.gaierror: [Errno -2] Name or service not known';

/** Lets anything that did get out arrive before the host listeners are checked. */
const settle = () => Promise.all([forbidden.seenAllSoFar(), allowed.seenAllSoFar()]);

async function device(deviceKey: string) {
  const code = await server.createLab();
  const session = await server.openConsole(code, deviceKey);
  const p = await ProgramProcess.spawn(session, 'nc', []);
  return { code, session, p };
}

test('no forbidden destination is reached, each refused with CPython’s error', async () => {
  const { session, p } = await device('sec-device-forbidden');
  const labSecond = Number(session.welcome.device.address.split('.')[1]);
  // A 10.x address outside the lab's own subnet (10.N.0.0/24).
  const otherTen = labSecond === 0 ? '10.200.0.1' : '10.0.0.1';
  const cases: [string, number, string | RegExp][] = [
    // The host's own services: loopback is the device itself, which has no listener there.
    ['127.0.0.1', forbidden.port, REFUSED],
    ['127.0.0.1', server.port, REFUSED], // the lab server's own HTTP port
    ['localhost', server.port, REFUSED],
    ['0.0.0.0', forbidden.port, REFUSED],
    ['127.0.0.1', 22, REFUSED],
    ['127.0.0.1', 80, REFUSED],
    ['127.0.0.1', 443, REFUSED],
    ['127.0.0.1', 1023, REFUSED],
    ['127.0.0.2', forbidden.port, REFUSED],
    // Odd IPv4 spellings are 127.0.0.1 to CPython (inet_aton): still the device itself.
    ['2130706433', forbidden.port, REFUSED],
    ['0x7f.1', forbidden.port, REFUSED],
    ['127.1', forbidden.port, REFUSED],
    ['0177.0.0.1', forbidden.port, REFUSED],
    ['127.0.1', forbidden.port, REFUSED],
    // Link-local and private networks: the lab has no route there.
    ['169.254.169.254', 80, UNREACHABLE],
    ['169.254.169.254', forbidden.port, UNREACHABLE],
    [otherTen, 80, UNREACHABLE],
    [otherTen, forbidden.port, UNREACHABLE],
    ['192.168.1.1', 80, UNREACHABLE],
    ['172.16.0.1', 80, UNREACHABLE],
    ['8.8.8.8', 53, UNREACHABLE],
    // Names other than localhost do not resolve; IPv6 is not an AF_INET address.
    ['example.com', 80, NO_NAME],
    ['host.docker.internal', forbidden.port, NO_NAME],
    // An IPv6 address on an AF_INET socket, as CPython says it; a bracketed one is no address.
    ['::1', forbidden.port, /^socket\.gaierror: \[Errno -9\] Address family for hostname not supported$/],
    // glibc reads an IPv4-mapped address as 127.0.0.1: the device itself, which has no listener there.
    ['::ffff:127.0.0.1', forbidden.port, /^ConnectionRefusedError: \[Errno 111\] Connection refused$/],
    ['[::1]', forbidden.port, /^socket\.gaierror: \[Errno -2\] Name or service not known$/],
  ];
  for (const [host, port, error] of cases) {
    await raises((await p.socket()).connect([host, port]), error, `connect((${JSON.stringify(host)}, ${port}))`);
  }
  // The allowed address on another port is not allowed.
  await raises((await p.socket()).connect(['127.0.0.1', allowed.port + 1 === forbidden.port ? allowed.port + 2 : allowed.port + 1]), /^(ConnectionRefusedError|OSError)/, 'allowed host, other port');
  await settle();
  assert.equal(forbidden.connections, 0, 'the host listener saw a connection');
  assert.equal(forbidden.bytes, 0);
  assert.equal(allowed.connections, 0, 'the allowed listener saw a connection it was not asked for');
  await p.exit();
});

test('odd spellings of 127.0.0.1 reach the device’s own listener, never the host’s', async () => {
  const { code, p } = await device('sec-device-spellings');
  // A lab listener on the same port number as the real host listener.
  const listener = await p.socket();
  await listener.bind(['127.0.0.1', forbidden.port]);
  await listener.listen();
  await waitListening(server, code, forbidden.port);
  for (const host of ['2130706433', '0x7f.1', '127.1', '0177.0.0.1', 'localhost']) {
    const client = await p.socket();
    await client.connect([host, forbidden.port]);
    await client.sendall(utf8Encode(`via ${host}\n`));
    const [conn, peer] = await listener.accept();
    assert.equal(peer[0], '127.0.0.1');
    assert.equal(new TextDecoder().decode(await conn.recv(100)), `via ${host}\n`);
    await client.close();
    await conn.close();
  }
  await settle();
  assert.equal(forbidden.connections, 0);
  assert.equal(forbidden.bytes, 0);
  await p.exit();
});

test('an address in --allow is reached; nothing else of that host is', async () => {
  const { p } = await device('sec-device-allowed');
  const s = await p.socket();
  await s.connect(['127.0.0.1', allowed.port]);
  await s.sendall(utf8Encode('hello allowed\n'));
  await allowed.bytesArrived('hello allowed\n'.length);
  assert.equal(allowed.connections, 1);
  assert.equal(Buffer.concat(allowed.received).toString(), 'hello allowed\n');
  await s.close();
  await raises((await p.socket()).connect(['127.0.0.1', forbidden.port]), REFUSED, 'same host, port not allowed');
  await settle();
  assert.equal(forbidden.connections, 0);
  await p.exit();
});

test('a device of one lab cannot reach another lab’s listener', async () => {
  const a = await device('sec-device-lab-a');
  const b = await device('sec-device-lab-b');
  const port = 7777;
  const listener = await b.p.socket();
  await listener.bind(['0.0.0.0', port]);
  await listener.listen();
  const { realPort } = await waitListening(server, b.code, port);
  const bAddress = b.session.welcome.device.address;
  const aSecond = a.session.welcome.device.address.split('.')[1];
  const bSecond = bAddress.split('.')[1];
  // B's address is outside A's lab (unless both subnets wrap to the same 10.N, when it is a
  // lab address with no device: no route to host).
  await raises(
    (await a.p.socket()).connect([bAddress, port]),
    aSecond === bSecond ? 'OSError: [Errno 113] No route to host' : UNREACHABLE,
    "B's device address from A",
  );
  // B's lab port and B's real port on the host, through A's loopback: A's own device.
  await raises((await a.p.socket()).connect(['127.0.0.1', port]), REFUSED, "B's lab port via A's loopback");
  await raises((await a.p.socket()).connect(['127.0.0.1', realPort]), REFUSED, "B's real port via A's loopback");
  await raises((await a.p.socket()).connect(['2130706433', realPort]), REFUSED, "B's real port via an odd spelling");
  listener.settimeout(0);
  await raises(listener.accept(), 'BlockingIOError: [Errno 11] Resource temporarily unavailable', 'B got no connection');
  // A cannot see B's sockets, and an unknown lab's netstat is 404.
  const netstatA = (await a.session.call({ op: 'netstat' })) as { local: string }[];
  assert.ok(!netstatA.some((r) => r.local.endsWith(`:${port}`)));
  assert.equal((await fetch(`${server.baseUrl}/api/labs/NOSUCHLAB/netstat`)).status, 404);
  assert.equal((await fetch(`${server.baseUrl}/api/labs/${encodeURIComponent('../labs')}/netstat`)).status, 404);
  await a.p.exit();
  await b.p.exit();
});

/** Opens a raw WebSocket with the given headers: the HTTP status if refused, else the open socket. */
function upgrade(headers: Record<string, string>, url = server.wsUrl): Promise<{ status: number; ws?: WebSocket }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ status: 101, ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      res.resume();
      ws.terminate();
    });
    ws.once('error', (err) => reject(err));
  });
}

async function helloWorks(ws: WebSocket): Promise<void> {
  const code = await server.createLab();
  const reply = await new Promise<Record<string, unknown>>((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(data.toString())));
    ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, lab: code, device: 'sec-origin-device' }));
  });
  assert.equal(reply.t, 'welcome');
  ws.close();
}

test('Origin: another site is refused before the upgrade; the server’s own origins are accepted', async () => {
  for (const origin of ['http://evil.example', `http://evil.example:${server.port}`, 'null', `http://127.0.0.1:${server.port + 1}`, `http://127.0.0.1:${server.port}.evil.example`]) {
    const { status } = await upgrade({ Origin: origin });
    assert.equal(status, 403, `Origin ${origin}`);
  }
  // Same origin, whatever name or address the student typed.
  const own = await upgrade({ Origin: `http://127.0.0.1:${server.port}` });
  assert.equal(own.status, 101);
  await helloWorks(own.ws!);
  for (const host of [`lab.test:${server.port}`, `10.0.0.5:8080`, 'LAB.test']) {
    const named = await upgrade({ Host: host, Origin: `http://${host.toLowerCase()}` });
    assert.equal(named.status, 101, `Host ${host}`);
    named.ws!.close();
  }
  const wrongHost = await upgrade({ Host: 'lab.test:8080', Origin: `http://127.0.0.1:${server.port}` });
  assert.equal(wrongHost.status, 403);
  // No Origin: not a browser (browsers always send it with an upgrade).
  const none = await upgrade({});
  assert.equal(none.status, 101);
  await helloWorks(none.ws!);
});

test('Origin: the Python channel refuses another site’s POST', async () => {
  const post = (headers: Record<string, string>) =>
    fetch(`${server.baseUrl}/api/sync/no-such-channel`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', ...headers },
      body: new Uint8Array([0, 0, 0, 2, 123, 125]),
    });
  assert.equal((await post({ origin: 'http://evil.example' })).status, 403);
  assert.equal((await post({ origin: 'null' })).status, 403);
  // Own origin and no Origin get through to the channel lookup (this one has ended: 410).
  assert.equal((await post({ origin: server.baseUrl })).status, 410);
  assert.equal((await post({})).status, 410);
  assert.equal((await fetch(`${server.baseUrl}/healthz`)).status, 200);
});

test('an upgrade to an address with no WebSocket is answered 404, before any upgrade', async () => {
  const code = await server.createLab();
  for (const path of ['/', '/healthz', `/lab/${code}`, '/teacher', '/api/labs', '/no-such-page', '/ws/', '/api/sync/x']) {
    const { status } = await upgrade({}, `ws://127.0.0.1:${server.port}${path}`);
    assert.equal(status, 404, `upgrade at ${path}`);
  }
  // The WebSocket routes still upgrade.
  const bridge = await upgrade({});
  assert.equal(bridge.status, 101);
  await helloWorks(bridge.ws!);
  const channel = await upgrade({}, `ws://127.0.0.1:${server.port}/api/sync/no-such-channel/ws`);
  assert.equal(channel.status, 101);
  channel.ws!.terminate();
});
