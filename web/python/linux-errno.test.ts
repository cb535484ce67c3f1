// py/linux_errno.py is what CPython on Linux gives (generated from the host's python3), and
// the server's errors (shared/socket-errors.ts) use the same numbers and messages.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { errnoError, type ErrnoName } from '../../shared/socket-errors.ts';

const GENERATOR = fileURLToPath(new URL('./tools/generate_linux_errno.py', import.meta.url));
const PY_DIR = fileURLToPath(new URL('./py', import.meta.url));

test("linux_errno.py matches the host CPython's errno module and os.strerror", () => {
  const result = spawnSync('python3', [GENERATOR, '--check'], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr + result.stdout);
});

test('the server raises the numbers and messages linux_errno.py has', () => {
  const script = `import json, sys; sys.path.insert(0, ${JSON.stringify(PY_DIR)}); import linux_errno as L; print(json.dumps([L.NUMBERS, L.MESSAGES]))`;
  const result = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const [numbers, messages] = JSON.parse(result.stdout) as [Record<string, number>, Record<string, string>];
  const names: ErrnoName[] = ['EBADF', 'EAGAIN', 'EACCES', 'EINVAL', 'EPIPE', 'EADDRINUSE', 'ECONNRESET', 'ENOTCONN', 'ETIMEDOUT', 'ECONNREFUSED'];
  for (const name of names) {
    const { errno, msg } = errnoError(name);
    assert.equal(numbers[name], errno, name);
    assert.equal(messages[String(errno)], msg, name);
  }
  assert.equal(numbers.ECONNREFUSED, 111);
});
