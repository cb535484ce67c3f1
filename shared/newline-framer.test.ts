import { test } from 'vitest';
import assert from 'node:assert/strict';
import { LineTooLongError, MAX_LINE_BYTES_DEFAULT, NewlineFramer } from './newline-framer.ts';
import { utf8Decode } from './utf8.ts';

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const text = (data: Uint8Array) => Buffer.from(data).toString('utf8');

// Multi-byte characters sit right before and after newlines, so cuts land inside them.
const INPUT_TEXT = 'MOVE 5\n中文\n\n😀 héllo\r\n中\n😀\nunterminated 中😀';
const INPUT = utf8(INPUT_TEXT);
const EXPECTED_LINES = ['MOVE 5', '中文', '', '😀 héllo\r', '中', '😀'];
const EXPECTED_TAIL = 'unterminated 中😀';

function frame(chunks: Uint8Array[]): { lines: string[]; tail: string | null } {
  const framer = new NewlineFramer();
  const lines = chunks.flatMap((chunk) => framer.push(chunk)).map((line) => utf8Decode(line));
  const tail = framer.end();
  return { lines, tail: tail === null ? null : utf8Decode(tail) };
}

test('whole input in one chunk', () => {
  assert.deepEqual(frame([INPUT]), { lines: EXPECTED_LINES, tail: EXPECTED_TAIL });
});

test('split at every byte offset gives the same lines', () => {
  for (let cut = 0; cut <= INPUT.length; cut++) {
    const result = frame([INPUT.slice(0, cut), INPUT.slice(cut)]);
    assert.deepEqual(result, { lines: EXPECTED_LINES, tail: EXPECTED_TAIL }, `cut at ${cut}`);
  }
});

test('split at every pair of offsets gives the same lines', () => {
  for (let first = 0; first <= INPUT.length; first++) {
    for (let second = first; second <= INPUT.length; second++) {
      const chunks = [INPUT.slice(0, first), INPUT.slice(first, second), INPUT.slice(second)];
      assert.deepEqual(frame(chunks), { lines: EXPECTED_LINES, tail: EXPECTED_TAIL }, `cuts at ${first}, ${second}`);
    }
  }
});

test('one byte at a time', () => {
  assert.deepEqual(frame([...INPUT].map((b) => Uint8Array.of(b))), { lines: EXPECTED_LINES, tail: EXPECTED_TAIL });
});

test('a character cut in half stays pending until its line completes', () => {
  const framer = new NewlineFramer();
  const bytes = utf8('中\n'); // e4 b8 ad 0a
  assert.deepEqual(framer.push(bytes.slice(0, 2)), []);
  assert.deepEqual([...framer.pending], [0xe4, 0xb8]);
  const lines = framer.push(bytes.slice(2));
  assert.deepEqual(lines.map(text), ['中']);
  assert.equal(framer.pending.length, 0);
  assert.equal(framer.end(), null);
});

test('end() returns null after a final newline and the tail otherwise, then resets', () => {
  const framer = new NewlineFramer();
  assert.equal(framer.end(), null);
  assert.deepEqual(framer.push(utf8('a\nb')).map(text), ['a']);
  assert.equal(text(framer.end()!), 'b');
  assert.equal(framer.end(), null);
});

test('returned lines are copies, not views of the caller chunk', () => {
  const framer = new NewlineFramer();
  const chunk = utf8('ab\ncd');
  const [line] = framer.push(chunk);
  chunk.fill(0x21);
  assert.equal(text(line!), 'ab');
  assert.equal(text(framer.end()!), 'cd');
});

test('maxLineBytes: a line of exactly the limit passes, one byte more throws', () => {
  assert.equal(new NewlineFramer().maxLineBytes, MAX_LINE_BYTES_DEFAULT);
  assert.equal(MAX_LINE_BYTES_DEFAULT, 65536);
  const framer = new NewlineFramer({ maxLineBytes: 4 });
  assert.deepEqual(framer.push(utf8('abcd\n')).map(text), ['abcd']);
  assert.deepEqual(framer.push(utf8('ab')), []);
  assert.deepEqual(framer.push(utf8('cd')), []);
  assert.throws(() => framer.push(utf8('e')), (error: unknown) => {
    assert.ok(error instanceof LineTooLongError);
    assert.equal(error.message, 'line longer than 4 bytes without a newline');
    return true;
  });
  // The over-long line was dropped; framing carries on from the next bytes.
  assert.deepEqual(framer.push(utf8('\nok\n')).map(text), ['', 'ok']);
  assert.throws(() => new NewlineFramer({ maxLineBytes: 4 }).push(utf8('abcde\n')), LineTooLongError);
});
