import { test } from 'vitest';
import assert from 'node:assert/strict';
import { splitCommandLine } from './command-line.ts';

test('words between spaces and tabs', () => {
  assert.deepEqual(splitCommandLine('  netstat   -no\t'), ['netstat', '-no']);
  assert.deepEqual(splitCommandLine(''), []);
  assert.deepEqual(splitCommandLine('   '), []);
});

test('quotes keep spaces and make empty words', () => {
  assert.deepEqual(splitCommandLine(`nc "10.1.0.2" '12345'`), ['nc', '10.1.0.2', '12345']);
  assert.deepEqual(splitCommandLine(`run x "a b"c ''`), ['run', 'x', 'a bc', '']);
  assert.deepEqual(splitCommandLine(`echo "it's"`), ['echo', "it's"]);
});

test('an unclosed quote is an error', () => {
  assert.deepEqual(splitCommandLine('run "x'), { error: 'unexpected end of line: the " is never closed' });
});
