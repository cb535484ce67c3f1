// The encoder's output was checked by decoding it with jsQR (not a dependency); these tests
// keep its shape: the version chosen, the finder patterns, the timing lines, the limit.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { encodeQr, qrSvg } from './qr-code.ts';

test('the smallest version that holds the text (byte mode, level M)', () => {
  assert.equal(encodeQr('x').size, 21); // version 1 holds 14 bytes
  assert.equal(encodeQr('x'.repeat(14)).size, 21);
  assert.equal(encodeQr('x'.repeat(15)).size, 25);
  assert.equal(encodeQr('http://127.0.0.1:8080/join?code=ABC234').size, 29); // 38 bytes: version 3
  assert.equal(encodeQr('x'.repeat(213)).size, 57); // version 10's capacity
  assert.throws(() => encodeQr('x'.repeat(214)), /too long/);
});

test('finder patterns in three corners, timing lines between them', () => {
  const { size, modules } = encodeQr('http://192.168.1.20:8080/join?code=K7QX2M');
  const finderAt = (x0: number, y0: number) => {
    for (let dy = 0; dy < 7; dy++) {
      for (let dx = 0; dx < 7; dx++) {
        const ring = Math.max(Math.abs(dx - 3), Math.abs(dy - 3));
        assert.equal(modules[y0 + dy]![x0 + dx], ring !== 2, `finder at ${x0},${y0}: module ${dx},${dy}`);
      }
    }
  };
  finderAt(0, 0);
  finderAt(size - 7, 0);
  finderAt(0, size - 7);
  for (let i = 8; i < size - 8; i++) {
    assert.equal(modules[6]![i], i % 2 === 0);
    assert.equal(modules[i]![6], i % 2 === 0);
  }
  assert.equal(modules[size - 8]![8], true, 'the dark module');
});

test('the SVG is black on white with a quiet zone, labelled with the text', () => {
  const svg = qrSvg(encodeQr('a<b'), 'a<b');
  assert.match(svg, /viewBox="0 0 29 29"/);
  assert.match(svg, /fill="#fff"/);
  assert.match(svg, /aria-label="QR code of a&#60;b"/);
});
