import { test } from 'vitest';
import assert from 'node:assert/strict';
import { EventStreamParser } from './event-stream.ts';

test('events split anywhere, comments and retry skipped', () => {
  const text = 'retry: 2000\n\n: still here\n\nevent: snapshot\ndata: {"a":1}\n\ndata: one\ndata: two\n\n';
  for (let cut = 0; cut <= text.length; cut++) {
    const parser = new EventStreamParser();
    const events = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut))];
    assert.deepEqual(events, [
      { event: 'snapshot', data: '{"a":1}' },
      { event: 'message', data: 'one\ntwo' },
    ], `cut at ${cut}`);
  }
});

test('CRLF and CR line ends', () => {
  const parser = new EventStreamParser();
  assert.deepEqual(parser.push('event: x\r\ndata: 1\r'), []);
  assert.deepEqual(parser.push('\n\r\ndata:2\r\r\n'), [
    { event: 'x', data: '1' },
    { event: 'message', data: '2' },
  ]);
});
