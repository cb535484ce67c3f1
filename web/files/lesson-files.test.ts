// The editor's starting points are the worksheet's programs, byte for byte.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { isValidFileName } from './device-files.ts';

const COPIES = fileURLToPath(new URL('./lesson-files/', import.meta.url));
const OURS = fileURLToPath(new URL('./lab-programs/', import.meta.url));
/** The repository's root is two folders up; the lesson sits in shared/ beside the checkout. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LESSON_PROGRAMS = join(REPO_ROOT, '..', 'shared', 'lesson', 'programs');

const pyFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.py')).sort();

test('the copies are the 11 lesson programs, each a name the device takes', () => {
  const names = pyFiles(COPIES);
  assert.equal(names.length, 11);
  assert.ok(names.includes('tictactoe.py'));
  for (const name of names) assert.ok(isValidFileName(name), name);
});

test('each copy is byte-identical to the lesson program', { skip: !existsSync(LESSON_PROGRAMS) }, () => {
  assert.deepEqual(pyFiles(COPIES), pyFiles(LESSON_PROGRAMS));
  for (const name of pyFiles(LESSON_PROGRAMS)) {
    assert.ok(readFileSync(join(COPIES, name)).equals(readFileSync(join(LESSON_PROGRAMS, name))), `${name} differs from the lesson's`);
  }
});

test("the lab's own programs (lab-programs.ts, not a starting file) take names of their own", () => {
  const ours = pyFiles(OURS);
  assert.deepEqual(ours, ['many_server_asyncio.py', 'many_server_selectors.py', 'many_server_threads.py']);
  for (const name of ours) {
    assert.ok(isValidFileName(name), name);
    assert.ok(!pyFiles(COPIES).includes(name), `${name} would hide the worksheet's file`);
  }
});
