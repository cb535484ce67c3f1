import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LESSON_PROGRAM_NAMES } from '../../shared/program-catalog.ts';
import { QUESTIONS } from './questions.ts';
import { sectionFromHash, sectionIndex, SECTIONS } from './sections.ts';

const LESSON_FILES = fileURLToPath(new URL('../files/lesson-files', import.meta.url));

test("the sections follow the worksheet's order", () => {
  assert.deepEqual(
    SECTIONS.map((s) => s.id),
    ['sockets', 'addresses', 'connection', 'str-bytes', 'socket-module', 'protocol', 'servers', 'chat', 'game'],
  );
  assert.equal(new Set(SECTIONS.map((s) => s.id)).size, SECTIONS.length);
  // Pages never go backwards.
  const firstPages = SECTIONS.map((s) => Number(s.pages.split('-')[0]));
  assert.deepEqual([...firstPages].sort((a, b) => a - b), firstPages);
});

test('Programs 1-11 appear once each, in order, as device files and built-ins that exist', () => {
  const programs = SECTIONS.flatMap((s) => s.programs);
  assert.deepEqual(programs.map((p) => p.number), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  const files = readdirSync(LESSON_FILES);
  for (const p of programs) assert.ok(files.includes(p.file), p.file);
  assert.deepEqual(
    programs.flatMap((p) => (p.builtin ? [p.builtin] : [])),
    [...LESSON_PROGRAM_NAMES],
  );
});

test('Questions 1-5 and 7 are inline, 6, 8, 9 and 10 exercises, each in one section', () => {
  assert.deepEqual(SECTIONS.flatMap((s) => s.questions), QUESTIONS.map((q) => q.number));
  assert.deepEqual(SECTIONS.flatMap((s) => s.exercises), [6, 8, 9, 10]);
});

test('the deep link names a section', () => {
  assert.equal(sectionFromHash('#lesson=protocol'), 'protocol');
  assert.equal(sectionFromHash('#x=1&lesson=chat'), 'chat');
  assert.equal(sectionFromHash('#lesson=nowhere'), null);
  assert.equal(sectionFromHash(''), null);
  assert.equal(sectionIndex('chat'), 7);
  assert.equal(sectionIndex(null), 0);
});
