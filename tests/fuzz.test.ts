// Fuzzing the bridge: over 10,000 random, truncated, wrongly typed, oversized and
// out-of-order messages from raw WebSocket clients (seeded, so a failure replays). The server
// must answer every message with exactly one error reply until a client goes past the
// bad-message limit, then tell it so and close it with 1008 (answering nothing more); close
// the connection for frames over the protocol's limit (1009); and stay up: /healthz and a
// fresh console of a device whose consoles were closed still work afterwards.

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { CLOSE_CODES, MAX_CONTROL_MESSAGE_BYTES, parseClientMessage, PROTOCOL_VERSION } from '../shared/bridge-protocol.ts';
import { decodePageFrame, MAX_DATA_FRAME_PAYLOAD_BYTES, PAGE_FRAME_HEADER_BYTES } from '../shared/data-frame.ts';
import { defaultLimits } from '../server/limits.ts';
import { ProgramProcess } from '../web/common/programs/program-process.ts';
import { utf8Encode } from '../shared/utf8.ts';
import { startLabServer, type TestLabServer } from './support/lab-server.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
/** The largest frame the server's WebSocket takes (bridge-plugin.ts). */
const MAX_FRAME_BYTES = Math.max(MAX_CONTROL_MESSAGE_BYTES, PAGE_FRAME_HEADER_BYTES + MAX_DATA_FRAME_PAYLOAD_BYTES);
/** Bad messages a console may send; the one after is answered, then the console is closed. */
const BAD_MESSAGES = defaultLimits().badMessages;

let server: TestLabServer;
beforeAll(async () => {
  server = await startLabServer({ revealAnswers: false });
});
afterAll(() => server.close());

/** mulberry32: a small seeded PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  return { next, int, pick };
}
type Rng = ReturnType<typeof prng>;

const OPS = ['socket', 'bind', 'listen', 'accept', 'connect', 'shutdown', 'close', 'getsockname', 'getpeername',
  'setsockopt', 'spawn', 'exit', 'kill', 'interrupt', 'stdin', 'netstat', 'ps', 'ipconfig'] as const;
/** Each op's fields and their kinds, to build valid-looking calls with one field of the wrong type. */
const FIELDS: Record<string, [string, 'int' | 'str' | 'timeout' | 'argv' | 'line'][]> = {
  socket: [['pid', 'int']],
  bind: [['sock', 'int'], ['host', 'str'], ['port', 'int']],
  listen: [['sock', 'int'], ['backlog', 'int']],
  accept: [['sock', 'int'], ['timeoutMs', 'timeout']],
  connect: [['sock', 'int'], ['host', 'str'], ['port', 'int'], ['timeoutMs', 'timeout']],
  shutdown: [['sock', 'int'], ['how', 'int']],
  close: [['sock', 'int']],
  getsockname: [['sock', 'int']],
  getpeername: [['sock', 'int']],
  setsockopt: [['sock', 'int'], ['level', 'int'], ['name', 'int'], ['value', 'int']],
  spawn: [['name', 'str'], ['argv', 'argv']],
  exit: [['pid', 'int']],
  kill: [['pid', 'int']],
  interrupt: [['pid', 'int']],
  stdin: [['pid', 'int'], ['line', 'line']],
};

function randomString(r: Rng, max = 40): string {
  const alphabet = 'abcXYZ019 _-.:/\\"\'{}[]\u00e9\u4e2d\u{1f600}\n\t\u0000';
  const chars = [...alphabet];
  let s = '';
  for (let i = r.int(0, max); i > 0; i--) s += r.pick(chars);
  return s;
}

function randomJson(r: Rng, depth = 0): unknown {
  switch (r.int(0, depth > 2 ? 4 : 6)) {
    case 0: return null;
    case 1: return r.next() < 0.5;
    case 2: return r.pick([0, -1, 1.5, 2 ** 53, -(2 ** 60), 1e308, r.int(-1e6, 1e6)]);
    case 3: return randomString(r);
    case 4: return r.pick(['hello', 'call', 'credit', 'result', 'welcome', '__proto__', 'constructor']);
    case 5: return Array.from({ length: r.int(0, 4) }, () => randomJson(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = r.int(0, 5); i > 0; i--) o[r.pick(['t', 'op', 'id', 'sock', 'pid', 'v', 'lab', randomString(r, 8)])] = randomJson(r, depth + 1);
      return o;
    }
  }
}

/** A value that is never valid for a field of this kind. */
function wrongValue(r: Rng, kind: string): unknown {
  const notInt = ['7', 1.5, [], {}, true, 'NaN', 2 ** 64, -(2 ** 64)];
  const notStr = [5, [], {}, true, 'x'.repeat(300)];
  switch (kind) {
    case 'int': return r.pick(notInt);
    case 'timeout': return r.pick(['7', 1.5, [], {}, true, -1, 2 ** 40]);
    case 'str': return r.pick(notStr);
    case 'line': return r.pick([5, [], {}, true, 'x'.repeat(5000)]);
    default: return r.pick([null, 'argv', [1, 2], Array(17).fill('a'), ['x'.repeat(300)], {}]);
  }
}

function validValue(r: Rng, kind: string): unknown {
  switch (kind) {
    case 'int': return r.int(1_000_000, 2 ** 31);
    case 'timeout': return r.pick([null, 0, 10]);
    case 'str': return r.pick(['127.0.0.1', '', 'basic_server', randomString(r, 20)]);
    case 'line': return r.pick([null, 'hi']);
    default: return [];
  }
}

/** A message of one of the kinds below, and whether it could close the connection (never, here). */
type Message = string | Buffer;

/** Text that is never a valid control message: each must get exactly one error reply. */
function invalidText(r: Rng, helloDone: boolean): Message {
  switch (r.int(0, helloDone ? 7 : 6)) {
    case 0: { // any JSON that is not an object
      let v = randomJson(r);
      while (typeof v === 'object' && v !== null && !Array.isArray(v)) v = randomJson(r);
      return JSON.stringify(v) ?? 'undefined';
    }
    case 1: { // an object of an unknown type
      const o = randomJson(r, 3) as Record<string, unknown>;
      const obj = typeof o === 'object' && o !== null && !Array.isArray(o) ? o : {};
      obj.t = r.pick([undefined, null, 5, 'Hello', 'CALL', 'ping', randomString(r, 6) + '!', ['call']]);
      return JSON.stringify(obj);
    }
    case 2: { // a call with one field of the wrong type (or an unknown op)
      const op = r.pick([...OPS, 'format-disk', '', 'toString']);
      const m: Record<string, unknown> = { t: 'call', id: r.int(0, 1e9), op };
      const fields = Object.hasOwn(FIELDS, op) ? FIELDS[op]! : [];
      for (const [name, kind] of fields) m[name] = validValue(r, kind);
      if (fields.length > 0) {
        const [name, kind] = r.pick(fields);
        m[name] = wrongValue(r, kind);
      } else if (OPS.includes(op as (typeof OPS)[number])) {
        m.id = r.pick(['1', -1, 1.5, null, 2 ** 60]); // netstat/ps/ipconfig: a bad id
      }
      return JSON.stringify(m);
    }
    case 3: { // truncated: a proper prefix of an object is never JSON
      const full = JSON.stringify({ t: 'call', id: r.int(0, 1e6), op: r.pick(OPS), sock: r.int(1, 100), host: randomString(r, 10) });
      return full.slice(0, r.int(1, full.length - 1));
    }
    case 4: // a credit or a hello with wrong types (a wrong-typed hello never closes)
      return r.next() < 0.5
        ? JSON.stringify({ t: 'credit', sock: wrongValue(r, 'int'), bytes: 10 })
        : JSON.stringify({ t: 'hello', v: wrongValue(r, 'int'), lab: 'ABCDEF', device: 'fuzz-device-1' });
    case 5: // oversized for a control message but within the WebSocket's frame limit
      return JSON.stringify({ t: 'call', id: 1, op: 'ps', pad: 'p'.repeat(r.int(MAX_CONTROL_MESSAGE_BYTES, MAX_FRAME_BYTES - 100)) });
    case 6: // random bytes that are not JSON (valid UTF-8 text)
      return '\u0000' + randomString(r, 200);
    default: // out of order: a second hello
      return JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, lab: r.pick(['ABCDEF', 'nope']), device: 'fuzz-device-x' });
  }
}

/** After hello: well-typed calls on sockets and processes the console does not have. */
function nonsenseCall(r: Rng): Message {
  const op = r.pick(['close', 'bind', 'listen', 'accept', 'connect', 'shutdown', 'getsockname', 'getpeername', 'setsockopt', 'stdin', 'interrupt'] as const);
  const m: Record<string, unknown> = { t: 'call', id: r.int(0, 1e9), op };
  for (const [name, kind] of FIELDS[op]!) m[name] = validValue(r, kind);
  return JSON.stringify(m);
}

/** A binary frame of random length and content: before hello 'not-ready', after it 'bad-frame' or EBADF. */
function randomBinary(r: Rng): Buffer {
  const len = r.pick([0, 1, 4, 5, 6, 9, 10, r.int(0, 64), r.int(5, 2000), r.int(60_000, MAX_FRAME_BYTES)]);
  const b = Buffer.alloc(len);
  for (let i = 0; i < Math.min(len, 64); i++) b[i] = r.int(0, 255);
  if (len >= PAGE_FRAME_HEADER_BYTES && r.next() < 0.5) {
    b[0] = r.pick([1, 2]); // a well-formed data frame for a socket this console does not have
    b.writeUInt32BE(r.int(1_000_000, 2 ** 32 - 1), 1);
  }
  return b;
}

function isErrorReply(m: Record<string, unknown>): boolean {
  return m.t === 'error' || (m.t === 'result' && m.err !== undefined) || (m.t === 'sent' && m.err !== undefined);
}

async function open(headers: Record<string, string> = {}): Promise<WebSocket> {
  const ws = new WebSocket(server.wsUrl, { headers, maxPayload: 1 << 20 });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return ws;
}

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    if (ws.readyState === ws.CLOSED) resolve(-1);
    ws.once('close', (code) => resolve(code));
  });
}

/** What a lane of messages got: its replies (in the order they came) and how it closed. */
interface LaneResult {
  replies: Record<string, unknown>[];
  closeCode: number;
  closeReason: string;
}

/** Sends every message at once, then waits until the server closes the connection. */
function sendUntilClosed(ws: WebSocket, messages: Message[]): Promise<LaneResult> {
  const replies: Record<string, unknown>[] = [];
  ws.on('message', (data, isBinary) => {
    assert.equal(isBinary, false, 'the server sent data to a console with no sockets');
    replies.push(JSON.parse(data.toString()));
  });
  const done = new Promise<LaneResult>((resolve) =>
    ws.once('close', (closeCode, reason) => resolve({ replies, closeCode, closeReason: reason.toString() })),
  );
  for (const m of messages) ws.send(m, { binary: typeof m !== 'string' });
  return done;
}

/**
 * Messages from make() until the one that goes past the bad-message limit, then a few more
 * the server must never answer. isBad says which get a protocol error (t: 'error'); the rest
 * get a Python error (a result or a 'sent' with err). Returns the messages and how many of
 * them the server answers (all up to and including the one past the limit).
 */
function laneOf(make: (i: number) => Message, isBad: (m: Message) => boolean): { messages: Message[]; answered: number } {
  const messages: Message[] = [];
  let bad = 0;
  while (bad <= BAD_MESSAGES) {
    const m = make(messages.length);
    if (isBad(m)) bad++;
    messages.push(m);
  }
  const answered = messages.length;
  while (messages.length < answered + 5) messages.push(make(messages.length));
  return { messages, answered };
}

/** After hello, what gets a protocol error: text that is not a well-formed call (or is a
 * second hello), and a binary frame that is not a well-formed data frame. A well-formed call
 * or data frame for something the console does not have gets a Python error instead. */
function isBadAfterHello(m: Message): boolean {
  if (typeof m !== 'string') return typeof decodePageFrame(new Uint8Array(m)) === 'string';
  try {
    return parseClientMessage(m).t !== 'call';
  } catch {
    return true;
  }
}

/** Every message up to the limit got one error reply, then the notice, then close 1008. */
function checkLane(result: LaneResult, answered: number, what: string): Map<string, number> {
  const notices = result.replies.filter((m) => m.t === 'error' && m.code === 'limit');
  const replies = result.replies.filter((m) => !(m.t === 'error' && m.code === 'limit'));
  assert.equal(result.closeCode, CLOSE_CODES.POLICY, `${what}: closed with ${result.closeCode}`);
  assert.equal(result.closeReason, 'too many bad messages');
  assert.equal(replies.length, answered, `${what}: ${replies.length} replies to the ${answered} messages up to the limit`);
  assert.equal(replies.filter((m) => m.t === 'error').length, BAD_MESSAGES + 1, `${what}: protocol errors`);
  assert.equal(notices.length, 1, `${what}: one notice that the limit was reached`);
  assert.match(String(notices[0]!.msg), /more than \d+ messages the server could not accept.*--limit bad-messages/);
  const codes = new Map<string, number>();
  for (const reply of replies) {
    assert.ok(isErrorReply(reply), `${what}: not an error reply: ${JSON.stringify(reply).slice(0, 200)}`);
    const key = reply.t === 'error' ? String(reply.code) : `${reply.t}:${(reply.err as { type: string }).type}`;
    codes.set(key, (codes.get(key) ?? 0) + 1);
  }
  return codes;
}

async function hello(ws: WebSocket, code: string, device: string): Promise<void> {
  const reply = await new Promise<Record<string, unknown>>((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(data.toString())));
    ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, lab: code, device }));
  });
  assert.equal(reply.t, 'welcome');
}

test('10,000 bad messages: one error reply each until the bad-message limit closes with 1008, oversized frames close with 1009, the server stays up', async () => {
  const r = prng(SEED);
  const code = await server.createLab();
  let answered = 0;
  const lanes: Promise<void>[] = [];
  const codesSeen = new Map<string, number>();

  // Before hello: everything but a hello is 'not-ready', wrong hellos are 'bad-field'.
  for (let c = 0; c < 6; c++) {
    const lane = laneOf(
      (i) => (i % 5 === 4 ? randomBinary(r) : i % 5 === 3 ? nonsenseCall(r) : invalidText(r, false)),
      () => true,
    );
    answered += lane.answered;
    const ws = await open();
    lanes.push(
      sendUntilClosed(ws, lane.messages).then((result) => {
        const codes = checkLane(result, lane.answered, `early lane ${c}`);
        assert.ok(codes.has('not-ready'));
      }),
    );
  }

  // After hello, on several consoles of a few devices at once, until 10,000 messages are answered.
  for (let c = 0; answered < 10_000; c++) {
    const lane = laneOf(() => {
      const x = r.next();
      return x < 0.2 ? randomBinary(r) : x < 0.35 ? nonsenseCall(r) : invalidText(r, true);
    }, isBadAfterHello);
    answered += lane.answered;
    const ws = await open();
    await hello(ws, code, `fuzz-device-${c % 8}`);
    lanes.push(
      sendUntilClosed(ws, lane.messages).then((result) => {
        for (const [key, n] of checkLane(result, lane.answered, `lane ${c}`)) codesSeen.set(key, (codesSeen.get(key) ?? 0) + n);
      }),
    );
  }

  // Connections that end: a frame over the limit (1009), text that is not UTF-8 (1007), a
  // hello for an unknown lab (4004) or another protocol version (4000), each after some junk.
  const enders: Promise<unknown>[] = [];
  for (let c = 0; c < 24; c++) {
    const ws = await open();
    const kind = c % 4;
    const junk = Array.from({ length: 20 }, () => (r.next() < 0.3 ? randomBinary(r) : invalidText(r, false)));
    const ending =
      kind === 0 ? Buffer.alloc(r.int(MAX_FRAME_BYTES + 1, 2_000_000), 0x41)
      : kind === 1 ? Buffer.from([0x7b, 0xff, 0xfe, 0x7d])
      : JSON.stringify({ t: 'hello', v: kind === 2 ? PROTOCOL_VERSION : 99, lab: 'NOSUCHLAB', device: 'fuzz-device-9' });
    const expected = [1009, 1007, 4004, 4000][kind]!;
    const replies: Record<string, unknown>[] = [];
    ws.on('message', (data) => replies.push(JSON.parse(data.toString())));
    ws.on('error', () => {});
    const whenClosed = closed(ws);
    for (const m of junk) ws.send(m, { binary: typeof m !== 'string' });
    ws.send(ending, { binary: kind === 0 ? r.next() < 0.5 : false });
    answered += junk.length + 1;
    enders.push(
      whenClosed.then((closeCode) => {
        assert.equal(closeCode, expected, `connection ${c} closed with ${closeCode}`);
        assert.ok(replies.length >= junk.length, 'the junk before the closing message got its replies');
        for (const reply of replies.slice(0, junk.length)) assert.ok(isErrorReply(reply));
      }).then(() => null, (err: unknown) => err), // checked below, after every lane has run
    );
  }

  await Promise.all(lanes);
  for (const err of await Promise.all(enders)) if (err) throw err;
  assert.ok(answered >= 10_000, `answered ${answered}`);
  for (const expected of ['bad-json', 'bad-message', 'unknown-type', 'bad-field', 'too-large', 'out-of-order', 'bad-frame']) {
    assert.ok(codesSeen.has(expected), `no '${expected}' among ${[...codesSeen.keys()].join(', ')}`);
  }

  // Still up, and a normal console works, on a device whose other consoles were disconnected.
  assert.equal((await fetch(`${server.baseUrl}/healthz`)).status, 200);
  const session = await server.openConsole(code, 'fuzz-device-0');
  const p = await ProgramProcess.spawn(session, 'nc', []);
  const listener = await p.socket();
  await listener.bind(['127.0.0.1', 0]);
  await listener.listen();
  const [, port] = await listener.getsockname();
  const client = await p.socket();
  await client.connect(['127.0.0.1', port]);
  await client.sendall(utf8Encode('still here\n'));
  const [conn] = await listener.accept();
  assert.equal(new TextDecoder().decode(await conn.recv(100)), 'still here\n');
  await p.exit();
});
