import { test } from 'vitest';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LESSON_PROGRAM_NAMES } from '../../../shared/program-catalog.ts';
import { QUESTIONS } from './questions.ts';
import { sectionFromHash, sectionIndex, SECTIONS } from './sections.ts';

const LESSON_FILES = fileURLToPath(new URL('../../files/lesson-files', import.meta.url));
const LAB_PROGRAMS = fileURLToPath(new URL('../../files/lab-programs', import.meta.url));

test("the sections follow the worksheet's order", () => {
  assert.deepEqual(
    SECTIONS.map((s) => s.id),
    ['sockets', 'addresses', 'connection', 'str-bytes', 'socket-module', 'protocol', 'servers', 'many-clients', 'chat', 'game'],
  );
  assert.equal(new Set(SECTIONS.map((s) => s.id)).size, SECTIONS.length);
  // Pages never go backwards.
  const firstPages = SECTIONS.map((s) => Number(s.pages.split('-')[0]));
  assert.deepEqual([...firstPages].sort((a, b) => a - b), firstPages);
});

test('Programs 1-11 appear once each, in order, as device files and built-ins that exist', () => {
  const programs = SECTIONS.flatMap((s) => s.programs).filter((p) => p.number !== null);
  assert.deepEqual(programs.map((p) => p.number), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  const files = readdirSync(LESSON_FILES);
  for (const p of programs) assert.ok(files.includes(p.file), p.file);
  assert.deepEqual(
    programs.flatMap((p) => (p.builtin ? [p.builtin] : [])),
    [...LESSON_PROGRAM_NAMES],
  );
});

test("the lab's own programs follow the worksheet's servers, each a file of lab-programs/ that runs as Python", () => {
  const at = sectionIndex('many-clients');
  assert.equal(at, sectionIndex('servers') + 1, 'right after Iterative and concurrent servers');
  const many = SECTIONS[at]!;
  assert.equal(many.title, 'Serving many clients at once');
  assert.deepEqual(
    many.programs.map((p) => p.file),
    ['many_server_selectors.py', 'many_server_asyncio.py', 'many_server_threads.py'],
  );
  const files = readdirSync(LAB_PROGRAMS);
  for (const p of many.programs) {
    assert.equal(p.number, null);
    assert.equal(p.builtin, null);
    assert.ok(!p.library, `${p.file} runs`);
    assert.ok(files.includes(p.file), p.file);
  }
  // Only they have no Program number; the only library is tictactoe.py.
  assert.deepEqual(SECTIONS.flatMap((s) => s.programs).filter((p) => p.number === null), many.programs);
  assert.deepEqual(SECTIONS.flatMap((s) => s.programs).filter((p) => p.library).map((p) => p.file), ['tictactoe.py']);
  assert.match(many.text.join(' '), /JSPI/);
});

test('Questions 1-5 and 7 are inline, 6, 8, 9, 10 and our 11 exercises, each in one section', () => {
  assert.deepEqual(SECTIONS.flatMap((s) => s.questions), QUESTIONS.map((q) => q.number));
  assert.deepEqual(SECTIONS.flatMap((s) => s.exercises), [6, 11, 8, 9, 10]);
});

test('the deep link names a section', () => {
  assert.equal(sectionFromHash('#lesson=protocol'), 'protocol');
  assert.equal(sectionFromHash('#x=1&lesson=chat'), 'chat');
  assert.equal(sectionFromHash('#lesson=nowhere'), null);
  assert.equal(sectionFromHash(''), null);
  assert.equal(sectionIndex('chat'), 8);
  assert.equal(sectionIndex(null), 0);
});
