import { test } from 'vitest';
import assert from 'node:assert/strict';
import { MAX_REQUEST_HEAD_BYTES, RequestHeadReader } from './request-head.ts';

test('the head is complete at the blank line, however the bytes are split; what follows is kept', () => {
  const text = 'POST /api/sync/t?lab=ABC234 HTTP/1.1\r\nHost: h\r\nReferer: http://h/lab/ABC234\r\nContent-Length: 3\r\n\r\nabc';
  const headEnd = text.indexOf('\r\n\r\n') + 4;
  for (let cut = 1; cut < headEnd; cut += 5) {
    const reader = new RequestHeadReader();
    assert.equal(reader.add(Buffer.from(text.slice(0, cut), 'latin1')), 'more');
    const head = reader.add(Buffer.from(text.slice(cut), 'latin1'));
    assert.ok(typeof head === 'object');
    assert.equal(head.target, '/api/sync/t?lab=ABC234');
    assert.equal(head.referer, 'http://h/lab/ABC234');
    assert.equal(head.bytes.toString('latin1'), text);
  }
});

test('a head split inside its blank line is found', () => {
  const reader = new RequestHeadReader();
  assert.equal(reader.add(Buffer.from('GET / HTTP/1.1\r\nHost: h\r\n\r')), 'more');
  const head = reader.add(Buffer.from('\n'));
  assert.ok(typeof head === 'object');
  assert.equal(head.target, '/');
  assert.equal(head.referer, undefined);
});

test('not HTTP/1, or too long: bad', () => {
  assert.equal(new RequestHeadReader().add(Buffer.from('HELLO\r\n\r\n')), 'bad');
  assert.equal(new RequestHeadReader().add(Buffer.from('GET / HTTP/2.0\r\n\r\n')), 'bad');
  const long = new RequestHeadReader();
  assert.equal(long.add(Buffer.from(`GET / HTTP/1.1\r\nX: ${'a'.repeat(MAX_REQUEST_HEAD_BYTES)}`)), 'bad');
});
