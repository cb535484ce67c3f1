import { test } from 'vitest';
import assert from 'node:assert/strict';
import { LineDiscipline } from './line-discipline.ts';
import { MAX_TRANSCRIPT_CHARS, Transcript } from './transcript.ts';

function typed(keys: string[], before = ''): string {
  const transcript = new Transcript();
  const ld = new LineDiscipline((text) => transcript.append(text));
  ld.write(before);
  for (const k of keys) ld.input(k);
  return transcript.text();
}

test('keeps lines without \\r', () => {
  const t = new Transcript();
  t.append('Connected to: (\'127.0.0.1\', 50831)\r\nnext');
  assert.equal(t.text(), "Connected to: ('127.0.0.1', 50831)\nnext");
});

test('a prompt keeps its trailing space, before and after Enter', () => {
  assert.equal(typed([], '10.1.0.2$ '), '10.1.0.2$ ');
  assert.equal(typed(['\r'], '10.1.0.2$ '), '10.1.0.2$ \n');
  assert.equal(typed(['a ', '\r'], '$ '), '$ a \n');
});

test('erased characters are gone, as on the screen', () => {
  assert.equal(typed(['netsat', '\x7f\x7f\x7f', 'stat -n\r'], '$ '), '$ netstat -n\n');
  assert.equal(typed(['abc', '\x15', 'ps\r'], '$ '), '$ ps\n');
  assert.equal(typed(['中文', '\x7f', '\r'], '> '), '> 中\n');
  assert.equal(typed(['e\u0301', '\x7f', '\r']), 'e\n');
  assert.equal(typed(['ab', '\x7f'], '$ '), '$ a');
});

test('Ctrl-C reads as ^C', () => {
  assert.equal(typed(['run x', '\x03'], '$ '), '$ run x^C\n');
});

test('escape sequences and bells are dropped, also when cut between writes', () => {
  const t = new Transcript();
  t.append('a\x1b[1;3');
  t.append('1mb\x1b[0m\x07c\x1b]0;title\x07d\x1b]0;t\x1b\\e\x1b');
  t.append('7f');
  assert.equal(t.text(), 'abcdef');
});

test('a program backspacing over its own text overwrites it', () => {
  const t = new Transcript();
  t.append('abc\b\bX');
  assert.equal(t.text(), 'aXc');
});

test('old lines go once the transcript is too long', () => {
  const t = new Transcript();
  const line = 'x'.repeat(999) + '\n';
  for (let i = 0; i < MAX_TRANSCRIPT_CHARS / 1000 + 10; i++) t.append(line);
  const text = t.text();
  assert.ok(text.length <= MAX_TRANSCRIPT_CHARS + 1);
  assert.ok(text.endsWith('x\n'));
});
