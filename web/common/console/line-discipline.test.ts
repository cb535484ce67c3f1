import { test } from 'vitest';
import assert from 'node:assert/strict';
import { LineDiscipline, MAX_LINE_CODE_POINTS, MAX_TYPE_AHEAD_LINES } from './line-discipline.ts';

function setup() {
  const out: string[] = [];
  const ld = new LineDiscipline((text) => out.push(text));
  return { ld, out, screen: () => out.join('') };
}

const never = () => new AbortController().signal;

test('echoes printable text at once and hands out the line on Enter', async () => {
  const { ld, screen } = setup();
  const line = ld.readLine(never());
  ld.input('hel');
  assert.equal(screen(), 'hel');
  ld.input('lo\r');
  assert.equal(screen(), 'hello\r\n');
  assert.equal(await line, 'hello');
});

test('an empty Enter gives an empty line', async () => {
  const { ld } = setup();
  const line = ld.readLine(never());
  ld.input('\r');
  assert.equal(await line, '');
});

test('lines typed while nobody reads wait for the next readers, in order', async () => {
  const { ld, screen } = setup();
  ld.input('first\rsecond\r');
  assert.equal(screen(), 'first\r\nsecond\r\n');
  assert.equal(await ld.readLine(never()), 'first');
  assert.equal(await ld.readLine(never()), 'second');
  const third = ld.readLine(never());
  ld.input('third\r');
  assert.equal(await third, 'third');
});

test('a pasted \\r\\n is one Enter, also split across two chunks; a lone \\n is Enter', async () => {
  const { ld, screen } = setup();
  ld.input('a\r\nb\r');
  ld.input('\nc\nd\r\n');
  const lines = [];
  for (let i = 0; i < 4; i++) lines.push(await ld.readLine(never()));
  assert.deepEqual(lines, ['a', 'b', 'c', 'd']);
  assert.equal(screen(), 'a\r\nb\r\nc\r\nd\r\n');
});

test('Backspace (\\x7f and \\b) erases one character visibly, and nothing on an empty line', async () => {
  const { ld, screen } = setup();
  const line = ld.readLine(never());
  ld.input('abc\x7f');
  assert.equal(screen(), 'abc\b \b');
  ld.input('\b\b\x7f');
  assert.equal(screen(), 'abc\b \b\b \b\b \b');
  ld.input('x\r');
  assert.equal(await line, 'x');
});

test('Backspace erases a whole code point: astral characters are not split', async () => {
  const { ld, out } = setup();
  const line = ld.readLine(never());
  ld.input('a😀');
  out.length = 0;
  ld.input('\x7f');
  assert.deepEqual(out, ['\b \b']); // xterm.js (Unicode 6 widths) draws this emoji in one cell
  ld.input('\r');
  assert.equal(await line, 'a');
});

test('Backspace over a wide CJK character steps back two cells', async () => {
  const { ld, out } = setup();
  const line = ld.readLine(never());
  ld.input('中文');
  out.length = 0;
  ld.input('\x7f');
  assert.deepEqual(out, ['\b\b  \b\b']);
  ld.input('\r');
  assert.equal(await line, '中');
});

test('Backspace over a combining accent redraws its base character without it', async () => {
  const { ld, out } = setup();
  const line = ld.readLine(never());
  ld.input('xe\u0301');
  out.length = 0;
  ld.input('\x7f');
  assert.deepEqual(out, ['\be']);
  ld.input('\r');
  assert.equal(await line, 'xe');
});

test('Ctrl-U clears the line, Ctrl-W erases the last word', async () => {
  const { ld, screen } = setup();
  const line = ld.readLine(never());
  ld.input('ab\x15');
  assert.equal(screen(), 'ab\b \b\b \b');
  ld.input('nc -l  \x17');
  ld.input('12345\r');
  assert.equal(await line, 'nc 12345');
});

test('Ctrl-C echoes ^C, drops the partial line and the type-ahead, and tells the listeners', async () => {
  const { ld, screen } = setup();
  let interrupts = 0;
  const remove = ld.onInterrupt(() => interrupts++);
  ld.input('queued\rpartial');
  ld.input('\x03');
  assert.equal(interrupts, 1);
  assert.equal(screen(), 'queued\r\npartial^C\r\n');
  assert.equal(ld.pendingText, '');
  const line = ld.readLine(never());
  ld.input('after\r');
  assert.equal(await line, 'after'); // 'queued' is gone
  remove();
  ld.input('\x03');
  assert.equal(interrupts, 1);
});

test('keys after a Ctrl-C in the same chunk still count', async () => {
  const { ld } = setup();
  ld.input('x\x03y\r');
  assert.equal(await ld.readLine(never()), 'y');
});

test('the ^C echo reaches the screen before the listeners run', () => {
  const { ld, screen } = setup();
  let seen = '';
  ld.onInterrupt(() => (seen = screen()));
  ld.input('ab\x03');
  assert.equal(seen, 'ab^C\r\n');
});

test('Ctrl-D on an empty line ends input; on a non-empty line it does nothing', async () => {
  const { ld, screen } = setup();
  const first = ld.readLine(never());
  ld.input('\x04');
  assert.equal(await first, null);
  const second = ld.readLine(never());
  ld.input('ab\x04c\r');
  assert.equal(await second, 'abc');
  assert.equal(screen(), 'abc\r\n');
});

test('a Ctrl-D typed ahead waits in the queue like a line', async () => {
  const { ld } = setup();
  ld.input('one\r\x04');
  assert.equal(await ld.readLine(never()), 'one');
  assert.equal(await ld.readLine(never()), null);
});

test('an aborted reader rejects with the reason and does not take the next line', async () => {
  const { ld } = setup();
  const controller = new AbortController();
  const aborted = ld.readLine(controller.signal);
  const reason = new Error('KeyboardInterrupt');
  controller.abort(reason);
  await assert.rejects(aborted, (err) => err === reason);
  ld.input('next\r');
  assert.equal(await ld.readLine(never()), 'next');
});

test('an already aborted signal rejects at once and leaves type-ahead alone', async () => {
  const { ld } = setup();
  ld.input('kept\r');
  const controller = new AbortController();
  controller.abort(new Error('stop'));
  await assert.rejects(ld.readLine(controller.signal), /stop/);
  assert.equal(await ld.readLine(never()), 'kept');
});

test('readers waiting together get lines in the order they asked', async () => {
  const { ld } = setup();
  assert.equal(ld.readerWaiting, false);
  const a = ld.readLine(never());
  assert.equal(ld.readerWaiting, true);
  const b = ld.readLine(never());
  ld.input('1\r2\r');
  assert.equal(ld.readerWaiting, false);
  assert.deepEqual(await Promise.all([a, b]), ['1', '2']);
});

test('arrow keys and other escape sequences are ignored, not echoed', async () => {
  const { ld, screen } = setup();
  const line = ld.readLine(never());
  ld.input('a\x1b[Ab\x1b[3~\x1bOPc\x1bxd\x1b]11;rgb:0/0/0\x07e\r');
  assert.equal(await line, 'abcde');
  assert.equal(screen(), 'abcde\r\n');
});

test('other control characters are ignored; a tab is kept and drawn as one space', async () => {
  const { ld, screen } = setup();
  const line = ld.readLine(never());
  ld.input('a\x01\x02\x1a\tb\x9b\r');
  assert.equal(await line, 'a\tb');
  assert.equal(screen(), 'a b\r\n');
});

test('a line stops growing at its limit and rings the bell', async () => {
  const { ld, out } = setup();
  const line = ld.readLine(never());
  ld.input('x'.repeat(MAX_LINE_CODE_POINTS));
  out.length = 0;
  ld.input('y');
  assert.deepEqual(out, ['\x07']);
  ld.input('\r');
  assert.equal((await line)?.length, MAX_LINE_CODE_POINTS);
});

test('type-ahead stops at its limit', async () => {
  const { ld } = setup();
  ld.input('l\r'.repeat(MAX_TYPE_AHEAD_LINES + 5));
  const controller = new AbortController();
  for (let i = 0; i < MAX_TYPE_AHEAD_LINES; i++) assert.equal(await ld.readLine(never()), 'l');
  const more = ld.readLine(controller.signal);
  controller.abort(new Error('none left'));
  await assert.rejects(more, /none left/);
});

test('write turns \\n into \\r\\n and leaves \\r\\n alone, also across calls', () => {
  const { ld, out } = setup();
  ld.write('a\nb\r\nc');
  ld.write('\n');
  ld.write('d\r');
  ld.write('\ne\n\n');
  assert.deepEqual(out, ['a\r\nb\r\nc', '\r\n', 'd\r', '\ne\r\n\r\n']);
});

test('atLineStart follows both output and echo', () => {
  const { ld } = setup();
  assert.equal(ld.atLineStart, true);
  ld.write('Enter port: ');
  assert.equal(ld.atLineStart, false);
  ld.input('1\r');
  assert.equal(ld.atLineStart, true);
  ld.write('x');
  ld.input('\x03');
  assert.equal(ld.atLineStart, true);
});

test('close ends input for readers now and later, and ignores keys', async () => {
  const { ld, out } = setup();
  const pending = ld.readLine(never());
  ld.close();
  assert.equal(await pending, null);
  assert.equal(await ld.readLine(never()), null);
  ld.input('abc\r');
  assert.deepEqual(out, []);
});

test('redrawLine echoes the line typed so far again, a tab as one space', () => {
  const { ld, screen } = setup();
  ld.redrawLine();
  assert.equal(screen(), '');
  ld.input('net\tst');
  ld.write('\n$ ');
  ld.redrawLine();
  assert.equal(screen(), 'net st\r\n$ net st');
  ld.input('\x7f');
  assert.equal(screen(), 'net st\r\n$ net st\b \b');
});
