// What a browser may send the bridge: every malformed message gets a clear error reply, the
// connection and the server stay up, and a page can only touch its own sockets.

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '../shared/bridge-protocol.ts';
import { encodePageFrame } from '../shared/data-frame.ts';
import { startLabServer, type TestLabServer } from './support/lab-server.ts';

let server: TestLabServer;
beforeAll(async () => {
  server = await startLabServer({ revealAnswers: false });
});
afterAll(() => server.close());

/** A raw WebSocket client that records every reply. */
class RawClient {
  readonly replies: Record<string, unknown>[] = [];
  private waiters: (() => void)[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.replies.push(JSON.parse(data.toString()));
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(url: string): Promise<RawClient> {
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new RawClient(ws);
  }

  /** Sends, then waits for the next reply. */
  async ask(data: string | Buffer): Promise<Record<string, unknown>> {
    const count = this.replies.length;
    this.ws.send(data);
    while (this.replies.length === count) await new Promise<void>((r) => this.waiters.push(r));
    return this.replies[count]!;
  }
}

test('malformed messages get error replies and the connection stays usable', async () => {
  const client = await RawClient.open(server.wsUrl);
  const bad: [string | Buffer, string][] = [
    ['not json', 'bad-json'],
    ['[]', 'bad-message'],
    ['{"t":"nope"}', 'unknown-type'],
    ['{"t":"call","id":1,"op":"socket","pid":1}', 'not-ready'],
    [JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, lab: 12, device: 'x' }), 'bad-field'],
    ['x'.repeat(20_000), 'too-large'],
    [Buffer.from([1, 0, 0]), 'not-ready'],
  ];
  for (const [message, code] of bad) {
    const reply = await client.ask(message);
    assert.equal(reply.t, 'error');
    assert.equal(reply.code, code, `reply to ${String(message).slice(0, 40)}`);
  }
  const code = await server.createLab();
  const welcome = await client.ask(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, lab: code, device: 'raw-device-1' }));
  assert.equal(welcome.t, 'welcome');
  const afterHello: [string | Buffer, string][] = [
    [JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, lab: code, device: 'raw-device-1' }), 'out-of-order'],
    ['{"t":"call","id":2,"op":"format-disk"}', 'unknown-op'],
    ['{"t":"call","id":3,"op":"bind","sock":"one","host":"","port":1}', 'bad-field'],
    ['{"t":"call","id":4,"op":"bind","sock":1,"host":"' + 'h'.repeat(300) + '","port":1}', 'bad-field'],
    ['{"t":"credit","sock":1,"bytes":-5}', 'bad-field'],
    [Buffer.from([9, 0, 0, 0, 1, 65]), 'bad-frame'],
    [Buffer.from([1, 0, 0]), 'bad-frame'],
  ];
  for (const [message, code] of afterHello) {
    const reply = await client.ask(message);
    assert.equal(reply.t, 'error');
    assert.equal(reply.code, code);
  }
  // Someone else's socket number: EBADF, as for a descriptor the process does not have.
  const sent = await client.ask(Buffer.from(encodePageFrame(999_999, new Uint8Array([65]), 0, false)));
  assert.deepEqual(sent, { t: 'sent', sock: 999_999, bytes: 1, err: { type: 'OSError', errno: 9, msg: 'Bad file descriptor' } });
  const closeOther = await client.ask('{"t":"call","id":5,"op":"close","sock":999999}');
  assert.deepEqual(closeOther.err, { type: 'OSError', errno: 9, msg: 'Bad file descriptor' });
  // Still a working console.
  const ps = await client.ask('{"t":"call","id":6,"op":"ps"}');
  assert.equal(ps.t, 'result');
  assert.ok(Array.isArray(ps.ok));
  client.ws.close();
  assert.equal((await fetch(`${server.baseUrl}/healthz`)).status, 200);
});

test('an unknown lab or protocol version is refused with a reason', async () => {
  const client = await RawClient.open(server.wsUrl);
  const reply = await client.ask(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, lab: 'ZZZZZZ', device: 'raw-device-2' }));
  assert.deepEqual(reply, { t: 'error', code: 'unknown-lab', msg: 'there is no lab with the code ZZZZZZ' });
  const old = await RawClient.open(server.wsUrl);
  const versionReply = await old.ask(JSON.stringify({ t: 'hello', v: 99, lab: 'ZZZZZZ', device: 'raw-device-2' }));
  assert.equal(versionReply.code, 'version');
});

test('hidden answers cannot be spawned; lesson programs can', async () => {
  const code = await server.createLab();
  const session = await server.openConsole(code, 'raw-device-3');
  await assert.rejects(session.call({ op: 'spawn', name: 'guess_server', argv: [] }), /guess_server: no such program/);
  await assert.rejects(session.call({ op: 'spawn', name: 'rm', argv: [] }), /rm: no such program/);
  const { pid } = await session.call({ op: 'spawn', name: 'basic_server', argv: [] });
  assert.ok(pid > 0);
  // Another lab's netstat is a 404, an unknown lab too.
  assert.equal((await fetch(`${server.baseUrl}/api/labs/NOPE42/netstat`)).status, 404);
});
