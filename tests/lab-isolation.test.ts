// One lab never reaches another, not even through the teacher's --allow list. Lab A listens;
// from lab B every way toward A's listener is tried (A's lab address, 127.0.0.1, 0.0.0.0, odd
// spellings, A's real port, --allow entries that name A's real ports, the lab port or the
// server's own port, the host's other addresses), with --expose or not and with
// --real-ports same or any. Each is refused with CPython's error, and A's listener sees no
// connection: A then connects to itself, and the first connection it accepts is that one.
// A real program on an allowed address is still reached.

import { afterAll, beforeAll, describe, test } from 'vitest';
import assert from 'node:assert/strict';
import net from 'node:net';
import os from 'node:os';
import { PyException } from '../shared/py-exception.ts';
import { utf8Encode } from '../shared/utf8.ts';
import { ProgramProcess } from '../web/common/programs/program-process.ts';
import type { PySocket } from '../web/common/net/py-socket.ts';
import type { AllowedTarget } from '../server/config.ts';
import { freePort } from './support/free-port.ts';
import { startLabServer, waitListening, type TestLabServer } from './support/lab-server.ts';
import { ShellConsole } from './support/shell-console.ts';

const REFUSED = 'ConnectionRefusedError: [Errno 111] Connection refused';

/** This machine's IPv4 addresses other than loopback. */
function hostAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
}

async function refusedWith(sock: PySocket, addr: [string, number], expected: string | RegExp): Promise<void> {
  const what = `connect((${JSON.stringify(addr[0])}, ${addr[1]}))`;
  await assert.rejects(sock.connect(addr), (err: unknown) => {
    assert.ok(err instanceof PyException, `${what}: expected a PyException, got ${String(err)}`);
    if (typeof expected === 'string') assert.equal(err.toString(), expected, what);
    else assert.match(err.toString(), expected, what);
    return true;
  });
}

for (const realPorts of ['same', 'any'] as const) {
  for (const expose of [false, true]) {
    describe(`--real-ports ${realPorts}${expose ? ' --expose' : ''}`, () => {
      let server: TestLabServer;
      /** The lab port A listens on, which the teacher allowed on 127.0.0.1 (no real program there yet). */
      let allowedPort: number;
      const allow: AllowedTarget[] = [];

      beforeAll(async () => {
        allowedPort = await freePort();
        allow.push({ host: '127.0.0.1', port: allowedPort });
        // The same array stays the server's list: entries pushed later stand for ports the
        // teacher allowed that happen to be the ones the OS gives A's listeners.
        server = await startLabServer({ allow, realPorts, expose });
      });
      afterAll(() => server.close());

      async function device(key: string) {
        const code = await server.createLab();
        const session = await server.openConsole(code, key);
        return { code, session, p: await ProgramProcess.spawn(session, 'nc', []) };
      }

      test('every way from lab B toward lab A’s listeners is refused, and A sees no connection', async () => {
        const a = await device(`iso-a-${realPorts}-${expose}`);
        const b = await device(`iso-b-${realPorts}-${expose}`);
        // A listens on the allowed port and on a port no entry names.
        const otherPort = await freePort();
        const listeners: { port: number; sock: PySocket; realPort: number }[] = [];
        for (const port of [allowedPort, otherPort]) {
          const sock = await a.p.socket();
          await sock.bind(['0.0.0.0', port]);
          await sock.listen();
          const { realPort } = await waitListening(server, a.code, port);
          listeners.push({ port, sock, realPort });
        }
        const [onAllowed, onOther] = listeners as [(typeof listeners)[0], (typeof listeners)[0]];
        assert.notEqual(onAllowed.realPort, allowedPort, 'a lab listener took a real port the --allow list names');
        if (realPorts === 'same') assert.equal(onOther.realPort, otherPort, 'a free lab port is the real port');

        // The teacher's list also names A's real ports (on every spelling of this machine) and the server's own port.
        const hosts = ['127.0.0.1', '0.0.0.0', '127.0.0.2', ...hostAddresses()];
        for (const { realPort } of listeners) for (const host of hosts) allow.push({ host, port: realPort });
        allow.push({ host: '127.0.0.1', port: server.port });

        const aAddress = a.session.welcome.device.address;
        const sameSubnet = aAddress.split('.')[1] === b.session.welcome.device.address.split('.')[1];
        const attempts: [[string, number], string | RegExp][] = [
          // A's lab address is another lab's: B's lab has no route there.
          [[aAddress, onAllowed.port], sameSubnet ? 'OSError: [Errno 113] No route to host' : 'OSError: [Errno 101] Network is unreachable'],
          [[aAddress, onOther.port], sameSubnet ? 'OSError: [Errno 113] No route to host' : 'OSError: [Errno 101] Network is unreachable'],
          // B's own device has no listener there; the allowed entry has no real program yet.
          [['127.0.0.1', onAllowed.port], REFUSED],
          [['0.0.0.0', onAllowed.port], REFUSED],
          [['127.0.0.1', onOther.port], REFUSED],
          [['0.0.0.0', onOther.port], REFUSED],
          [['localhost', onOther.port], REFUSED],
          // A's real ports, allowed, in every spelling: one of the server's own listeners, refused.
          ...listeners.flatMap(({ realPort }): [[string, number], string][] => [
            [['127.0.0.1', realPort], REFUSED],
            [['0.0.0.0', realPort], REFUSED],
            [['127.1', realPort], REFUSED],
            [['2130706433', realPort], REFUSED],
            [['127.0.0.2', realPort], REFUSED],
            ...hostAddresses().map((h): [[string, number], string] => [[h, realPort], REFUSED]),
          ]),
          // The server's own port, allowed.
          [['127.0.0.1', server.port], REFUSED],
        ];
        for (const [addr, expected] of attempts) await refusedWith(await b.p.socket(), addr, expected);

        // A connects to itself: the first connection each listener accepts is A's own, so
        // nothing from B was ever queued before it; then nothing else is waiting.
        for (const { port, sock } of listeners) {
          const own = await a.p.socket();
          await own.connect(['127.0.0.1', port]);
          const ownPort = (await own.getsockname())[1];
          const [conn, peer] = await sock.accept();
          assert.deepEqual(peer, ['127.0.0.1', ownPort], `lab port ${port}: the first connection accepted is A's own`);
          sock.settimeout(0);
          await assert.rejects(sock.accept(), /BlockingIOError: \[Errno 11\]/);
          sock.settimeout(null);
          await conn.close();
          await own.close();
        }
        await a.p.exit();
        await b.p.exit();
      });

      test('a real program on an allowed address is reached; A’s listener on that lab port is not', async () => {
        const a = await device(`iso-a2-${realPorts}-${expose}`);
        const b = await device(`iso-b2-${realPorts}-${expose}`);
        const listener = await a.p.socket();
        await listener.bind(['0.0.0.0', allowedPort]);
        await listener.listen();
        await waitListening(server, a.code, allowedPort);
        // The teacher's program starts on the allowed port, which no lab listener holds.
        const received: Buffer[] = [];
        let gotBytes!: () => void;
        const arrived = new Promise<void>((resolve) => (gotBytes = resolve));
        const real = net.createServer((s) => s.on('data', (d) => (received.push(d), gotBytes())));
        await new Promise<void>((r) => real.listen({ port: allowedPort, host: '127.0.0.1', exclusive: true }, () => r()));
        try {
          const client = await b.p.socket();
          await client.connect(['127.0.0.1', allowedPort]);
          await client.sendall(utf8Encode('to the teacher’s program\n'));
          await arrived;
          assert.equal(Buffer.concat(received).toString(), 'to the teacher’s program\n');
          await client.close();
        } finally {
          real.close();
        }
        listener.settimeout(0);
        await assert.rejects(listener.accept(), /BlockingIOError: \[Errno 11\]/);
        await a.p.exit();
        await b.p.exit();
      });
    });
  }
}

test('a listener that starts while an --allow connect is under way is still never reached', async () => {
  const allow: AllowedTarget[] = [];
  const server = await startLabServer({ allow });
  try {
    const codeA = await server.createLab();
    const a = await ProgramProcess.spawn(await server.openConsole(codeA, 'iso-race-a'), 'nc', []);
    const b = await ProgramProcess.spawn(await server.openConsole(await server.createLab(), 'iso-race-b'), 'nc', []);
    const listener = await a.socket();
    await listener.bind(['0.0.0.0', 5000]);
    await listener.listen();
    const { realPort } = await waitListening(server, codeA, 5000);
    allow.push({ host: '127.0.0.1', port: realPort });
    // The check before connecting misses, as it would for a listener the OS set up just after
    // it: the check once connected, and the listener's side, must catch it.
    const own = server.network.ownListeners;
    const covers = own.covers.bind(own);
    let first = true;
    own.covers = (ip, port) => (first ? ((first = false), false) : covers(ip, port));
    await refusedWith(await b.socket(), ['127.0.0.1', realPort], REFUSED);
    assert.equal(first, false, 'the check before connecting was asked');
    const self = await a.socket();
    await self.connect(['127.0.0.1', 5000]);
    const [conn, peer] = await listener.accept();
    assert.deepEqual(peer, ['127.0.0.1', (await self.getsockname())[1]], 'the refused connection was never accepted');
    await conn.close();
    await self.close();
    await a.exit();
    await b.exit();
  } finally {
    await server.close();
  }
});

test('as a teacher tried it: nc -l in lab A, nc to the allowed address in lab B, with no host program', async () => {
  const port = await freePort();
  const server = await startLabServer({ allow: [{ host: '127.0.0.1', port }], realPorts: 'same' });
  try {
    const codeA = await server.createLab();
    const a = await ShellConsole.open(server, codeA, 'iso-shell-a');
    const b = await ShellConsole.open(server, await server.createLab(), 'iso-shell-b');
    a.type(`nc -l ${port}\r`);
    const { realPort } = await waitListening(server, codeA, port);
    assert.notEqual(realPort, port, 'lab A took the allowed real port');
    b.type(`nc 127.0.0.1 ${port}\r`);
    const from = b.text().length;
    await b.waitForPrompt(from);
    assert.match(b.text().slice(from), /ConnectionRefusedError: \[Errno 111\] Connection refused\n/);
    // Lab A's nc is still waiting for its one connection: its own device's comes first.
    const self = await ShellConsole.open(server, codeA, 'iso-shell-a');
    self.type(`nc 127.0.0.1 ${port}\r`);
    await self.waitFor(`nc 127.0.0.1 ${port}\n`);
    self.type('from lab A itself\r');
    await a.waitFor('from lab A itself\n');
    assert.equal(a.text(), `${a.prompt}nc -l ${port}\nfrom lab A itself\n`);
    for (const c of [a, b, self]) c.close();
  } finally {
    await server.close();
  }
});
