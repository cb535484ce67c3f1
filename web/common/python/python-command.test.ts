import { test } from 'vitest';
import assert from 'node:assert/strict';
import { parsePythonCommand, resolvePythonPath } from './python-command.ts';

const files = { 'basic_server.py': 'import socket\n', 'tictactoe.py': '' };

test('python FILE ARGS runs a file of the device; python alone is the >>> prompt', () => {
  assert.deepEqual(parsePythonCommand([], files), { script: null, argv: [''] });
  assert.deepEqual(parsePythonCommand(['basic_server.py'], files), { script: 'basic_server.py', argv: ['basic_server.py'] });
  assert.deepEqual(parsePythonCommand(['-u', './basic_server.py', 'a', '-x'], files), {
    script: 'basic_server.py',
    argv: ['./basic_server.py', 'a', '-x'],
  });
  assert.deepEqual(parsePythonCommand(['/home/lab/basic_server.py'], files), {
    script: 'basic_server.py',
    argv: ['/home/lab/basic_server.py'],
  });
  assert.equal((parsePythonCommand(['/home/lab/../lab/basic_server.py'], files) as { script: string }).script, 'basic_server.py');
});

test("a file that is not there: CPython's message, with the path resolved", () => {
  assert.deepEqual(parsePythonCommand(['nope.py'], files), {
    error: "python: can't open file '/home/lab/nope.py': [Errno 2] No such file or directory",
  });
  assert.deepEqual(parsePythonCommand(['basic_server'], files), {
    error: "python: can't open file '/home/lab/basic_server': [Errno 2] No such file or directory",
  });
  assert.deepEqual(parsePythonCommand(['../basic_server.py'], files), {
    error: "python: can't open file '/home/basic_server.py': [Errno 2] No such file or directory",
  });
  assert.deepEqual(parsePythonCommand(['toString'], files), {
    error: "python: can't open file '/home/lab/toString': [Errno 2] No such file or directory",
  });
  assert.match((parsePythonCommand(['-c', 'print(1)'], files) as { error: string }).error, /option -c is not available/);
});

test('paths resolve as the kernel reads them', () => {
  assert.equal(resolvePythonPath('a.py'), '/home/lab/a.py');
  assert.equal(resolvePythonPath('.//x/../a.py'), '/home/lab/a.py');
  assert.equal(resolvePythonPath('/../../a.py'), '/a.py');
});
