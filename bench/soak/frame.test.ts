import { test } from 'vitest';
import assert from 'node:assert/strict';
import { fnv1a, FNV_START, LineSplitter, payloadFor, StreamChecker, StreamSender } from './frame.ts';

const enc = (s: string) => new TextEncoder().encode(s);

test('fnv1a: known values, and continuing equals hashing the whole', () => {
  assert.equal(fnv1a(enc('')), 0x811c9dc5);
  assert.equal(fnv1a(enc('a')), 0xe40c292c);
  assert.equal(fnv1a(enc('foobar')), 0xbf9cf968);
  assert.equal(fnv1a(enc('bar'), fnv1a(enc('foo'))), fnv1a(enc('foobar')));
  assert.equal(FNV_START, 0x811c9dc5);
});

test('payloads are printable, bounded and the same each time', () => {
  for (let seq = 0; seq < 200; seq++) {
    const p = payloadFor(3, seq, 50);
    assert.match(p, /^[A-Za-z0-9]{1,50}$/);
    assert.equal(p, payloadFor(3, seq, 50));
  }
  assert.notEqual(payloadFor(1, 0), payloadFor(2, 0));
});

test('line splitter joins lines across chunks', () => {
  const s = new LineSplitter();
  assert.deepEqual(s.push(enc('ab')).map((l) => new TextDecoder().decode(l)), []);
  assert.deepEqual(s.push(enc('c\nd\n\nef')).map((l) => new TextDecoder().decode(l)), ['abc', 'd', '']);
  assert.equal(s.rest, 2);
});

function stream(n: number): { sender: StreamSender; lines: Uint8Array[] } {
  const sender = new StreamSender(7, 80);
  const lines = Array.from({ length: n }, () => sender.next());
  return { sender, lines };
}

test('an intact stream, in any chunking, checks out', () => {
  const { sender, lines } = stream(100);
  const all = new Uint8Array(lines.reduce((s, l) => s + l.length, 0));
  let at = 0;
  for (const l of lines) {
    all.set(l, at);
    at += l.length;
  }
  const checker = new StreamChecker();
  for (let i = 0; i < all.length; i += 13) checker.push(all.subarray(i, i + 13));
  assert.deepEqual(checker.verdict(sender), {
    sent: 100,
    received: 100,
    bytesSent: all.length,
    bytesReceived: all.length,
    lost: 0,
    reordered: 0,
    corrupt: 0,
    checksumMatches: true,
  });
});

test('a missing line is lost, a swapped pair is reordered, a changed byte is corrupt', () => {
  {
    const { sender, lines } = stream(10);
    const c = new StreamChecker();
    lines.forEach((l, i) => i !== 4 && c.push(l));
    const v = c.verdict(sender);
    assert.equal(v.lost, 1);
    assert.equal(v.checksumMatches, false);
  }
  {
    const { sender, lines } = stream(10);
    const c = new StreamChecker();
    [0, 1, 3, 2, 4, 5, 6, 7, 8, 9].forEach((i) => c.push(lines[i]!));
    const v = c.verdict(sender);
    assert.equal(v.reordered, 1);
    assert.equal(v.lost, 0);
    assert.equal(v.checksumMatches, false);
  }
  {
    const { sender, lines } = stream(10);
    const c = new StreamChecker();
    const bad = lines[5]!.slice();
    bad[bad.length - 3] = bad[bad.length - 3] === 0x30 ? 0x31 : 0x30; // a hex digit of the hash
    lines.forEach((l, i) => c.push(i === 5 ? bad : l));
    const v = c.verdict(sender);
    assert.equal(v.corrupt, 1);
    assert.equal(v.checksumMatches, false);
  }
  {
    const { sender, lines } = stream(10);
    const c = new StreamChecker();
    lines.slice(0, 7).forEach((l) => c.push(l));
    assert.equal(c.verdict(sender).lost, 3); // the tail never came
  }
});
