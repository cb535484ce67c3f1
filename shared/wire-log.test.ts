import { test } from 'vitest';
import assert from 'node:assert/strict';
import {
  acceptedLocal,
  formatWireDropped,
  formatWireEntry,
  formatWireTime,
  MAX_SHOWN_BYTES_PER_ENTRY,
  WireLog,
} from './wire-log.ts';

const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
/** 12:03:04.512 today, local time (formatWireTime shows the page's local time). */
const AT = new Date(2024, 0, 1, 12, 3, 4, 512).getTime();

test('a line: time, socket with both addresses, direction, the bytes as Python shows them', () => {
  const log = new WireLog();
  const entry = log.record({ timeMs: AT, sock: 3, local: ['10.1.0.2', 12345], peer: ['10.1.0.3', 40112], direction: 'recv', bytes: ascii('Hello fr') });
  assert.equal(formatWireEntry(entry), "12:03:04.512  sock 3 (10.1.0.2:12345 ↔ 10.1.0.3:40112)  recv    b'Hello fr'");
  const second = log.record({ timeMs: AT, sock: 3, local: null, peer: null, direction: 'recv', bytes: ascii('om server\n') });
  assert.equal(formatWireEntry(second), "12:03:04.512  sock 3  recv    b'om server\\n'");
  const end = log.record({ timeMs: AT, sock: 3, local: null, peer: null, direction: 'recv', bytes: new Uint8Array(0) });
  assert.equal(formatWireEntry(end), "12:03:04.512  sock 3  recv    b'' (end of stream)");
  const event = log.record({ timeMs: AT, sock: 3, local: null, peer: ['127.0.0.1', 1], direction: 'option', note: 'TCP_NODELAY=1' });
  assert.equal(formatWireEntry(event), '12:03:04.512  sock 3 (? ↔ 127.0.0.1:1)  option  TCP_NODELAY=1');
  assert.equal(log.entries().length, 4);
});

test('the time is hours:minutes:seconds.milliseconds, zero-padded', () => {
  assert.equal(formatWireTime(new Date(2024, 0, 1, 1, 2, 3, 4).getTime()), '01:02:03.004');
});

test('a long chunk keeps its first bytes and says how many there were', () => {
  const log = new WireLog();
  const big = new Uint8Array(1000).fill(0x41);
  const entry = log.record({ timeMs: AT, sock: 1, local: null, peer: null, direction: 'send', bytes: big });
  assert.equal(entry.bytes!.length, MAX_SHOWN_BYTES_PER_ENTRY);
  assert.equal(entry.length, 1000);
  assert.match(formatWireEntry(entry), new RegExp(`… \\(\\+${1000 - MAX_SHOWN_BYTES_PER_ENTRY} bytes, 1000 in all\\)$`));
  big[0] = 0x42; // the log kept a copy
  assert.equal(entry.bytes![0], 0x41);
});

test('memory is bounded by lines and by bytes; what was dropped is counted', () => {
  const log = new WireLog(3, 1_000_000);
  for (let i = 0; i < 5; i++) log.record({ timeMs: AT, sock: 1, local: null, peer: null, direction: 'send', bytes: ascii(`m${i}`) });
  assert.deepEqual(log.entries().map((e) => Buffer.from(e.bytes!).toString()), ['m2', 'm3', 'm4']);
  assert.deepEqual(log.dropped, { entries: 2, bytes: 4 });
  assert.equal(formatWireDropped(log.dropped), '… 2 earlier lines (4 bytes) no longer kept');

  const byBytes = new WireLog(100, 10);
  for (let i = 0; i < 4; i++) byBytes.record({ timeMs: AT, sock: 1, local: null, peer: null, direction: 'recv', bytes: ascii('abcd') });
  assert.equal(byBytes.entries().length, 2);
  assert.deepEqual(byBytes.dropped, { entries: 2, bytes: 8 });
});

test('clear empties the log and tells listeners with null', () => {
  const log = new WireLog(1);
  const seen: (string | null)[] = [];
  const stop = log.onChange((entry) => seen.push(entry ? entry.direction : null));
  log.record({ timeMs: AT, sock: 1, local: null, peer: null, direction: 'connect' });
  log.record({ timeMs: AT, sock: 1, local: null, peer: null, direction: 'close' });
  log.clear();
  stop();
  log.record({ timeMs: AT, sock: 1, local: null, peer: null, direction: 'close' });
  assert.deepEqual(seen, ['connect', 'close', null]);
  assert.equal(formatWireDropped(new WireLog().dropped), null);
});

test("an accepted connection's local address: the listener's, or for 0.0.0.0 the address the peer reached", () => {
  assert.deepEqual(acceptedLocal(['127.0.0.1', 12345], ['127.0.0.1', 5000], '10.1.0.2'), ['127.0.0.1', 12345]);
  assert.deepEqual(acceptedLocal(['0.0.0.0', 12345], ['127.0.0.1', 5000], '10.1.0.2'), ['127.0.0.1', 12345]);
  assert.deepEqual(acceptedLocal(['0.0.0.0', 12345], ['10.1.0.3', 5000], '10.1.0.2'), ['10.1.0.2', 12345]);
  assert.equal(acceptedLocal(null, ['10.1.0.3', 5000], '10.1.0.2'), null);
});
