import { test } from 'vitest';
import assert from 'node:assert/strict';
import { typedFileName, untitledName } from './file-bar-names.ts';

test('a new file is the first untitled name not taken', () => {
  assert.equal(untitledName([]), 'untitled.py');
  assert.equal(untitledName(['untitled.py', 'echo.py']), 'untitled2.py');
  assert.equal(untitledName(['untitled.py', 'untitled2.py', 'untitled4.py']), 'untitled3.py');
});

test('a typed name is trimmed and gets .py when it has none', () => {
  assert.equal(typedFileName(' server '), 'server.py');
  assert.equal(typedFileName('chat_server.py'), 'chat_server.py');
  assert.equal(typedFileName('   '), '');
  assert.equal(typedFileName('notes.txt'), 'notes.txt.py');
});
