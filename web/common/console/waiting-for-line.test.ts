import { test } from 'vitest';
import assert from 'node:assert/strict';
import { waitsForLine } from './waiting-for-line.ts';

test("Python's prompts wait for a line, whatever the shell's state", () => {
  assert.equal(waitsForLine('Python 3.12\n>>> ', false), true);
  assert.equal(waitsForLine('>>> def f():\n... ', false), true);
  assert.equal(waitsForLine('Loading Python…', false), false);
  assert.equal(waitsForLine('>>> print(1)\n1\n', false), false);
});

test("the shell's prompt waits only while the shell is at its prompt", () => {
  assert.equal(waitsForLine('10.0.0.2$ ', true), true);
  assert.equal(waitsForLine('price: 5$ ', false), false, 'a program printed "$ "');
  assert.equal(waitsForLine('10.0.0.2$ python', true), false);
});
