import { test } from 'vitest';
import assert from 'node:assert/strict';
import { charWidth, textWidth, WIDTH_TABLES_FOR_TESTS } from './terminal-width.ts';

test('the range tables are sorted and do not overlap (binary search needs it)', () => {
  for (const [name, ranges] of Object.entries(WIDTH_TABLES_FOR_TESTS)) {
    for (let i = 0; i < ranges.length; i++) {
      const [first, last] = ranges[i]!;
      assert.ok(first <= last, `${name}[${i}]`);
      if (i > 0) assert.ok(ranges[i - 1]![1] < first, `${name}[${i}] overlaps the range before it`);
    }
  }
});

test('widths as xterm.js draws them by default (Unicode 6)', () => {
  assert.equal(charWidth('a'), 1);
  assert.equal(charWidth('é'), 1);
  assert.equal(charWidth('\u0301'), 0); // combining acute
  assert.equal(charWidth('\x07'), 0);
  assert.equal(charWidth('中'), 2);
  assert.equal(charWidth('한'), 2);
  assert.equal(charWidth('ｱ'), 1); // halfwidth katakana
  assert.equal(charWidth('Ａ'), 2); // fullwidth A
  assert.equal(charWidth('\u303f'), 1);
  assert.equal(charWidth('\u302a'), 0); // combining inside the wide CJK block
  assert.equal(charWidth('😀'), 1);
  assert.equal(charWidth('\u{20000}'), 2);
  assert.equal(charWidth('\u{e0100}'), 0);
});

test('textWidth adds them up', () => {
  assert.equal(textWidth('10.1.0.2$ '), 10);
  assert.equal(textWidth('中文ab'), 6);
});
