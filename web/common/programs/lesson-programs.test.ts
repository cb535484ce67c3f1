import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ANSWER_PROGRAM_NAMES, LESSON_PROGRAM_NAMES, TOOL_PROGRAM_NAMES } from '../../../shared/program-catalog.ts';
import { LESSON_PROGRAMS } from './lesson-programs.ts';
import type { BuiltinProgram } from './program.ts';
import { nc } from './tools/nc.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..', '..');
/** The worksheet's runnable CPython files: beside the repository, or wherever LESSON_PROGRAMS_DIR says. */
const lessonDir = process.env['LESSON_PROGRAMS_DIR'] ?? resolve(repoRoot, '..', 'shared', 'lesson', 'programs');

/** answers/answer-programs.ts must only ever be loaded dynamically (it is a chunk of its own). */
async function answerPrograms(): Promise<readonly BuiltinProgram[]> {
  const module = await import('./answers/answer-programs.ts');
  return module.ANSWER_PROGRAMS;
}

function pyFileName(program: BuiltinProgram): string {
  return program.name + '.py';
}

test('lesson program names are unique and equal their file names without .py', () => {
  const names = LESSON_PROGRAMS.map((p) => p.name);
  assert.equal(new Set(names).size, names.length, `duplicate names in ${names.join(', ')}`);
  for (const program of LESSON_PROGRAMS) {
    assert.equal(program.file, pyFileName(program), program.name);
    assert.match(program.lesson, /^Program \d+$/, program.name);
    assert.notEqual(program.summary.trim(), '', program.name);
    assert.equal(typeof program.main, 'function', program.name);
  }
});

test('lesson programs are in worksheet order', () => {
  const numbers = LESSON_PROGRAMS.map((p) => Number(p.lesson.replace('Program ', '')));
  for (let i = 1; i < numbers.length; i++) {
    assert.ok(numbers[i]! > numbers[i - 1]!, `${LESSON_PROGRAMS[i]!.name} comes after Program ${numbers[i - 1]}`);
  }
  // Programs 1-11 except 8 (tictactoe.py, a library).
  assert.deepEqual(numbers, [1, 2, 3, 4, 5, 6, 7, 9, 10, 11]);
});

test('every lesson file except tictactoe.py has a built-in program', { skip: !existsSync(lessonDir) }, () => {
  const files = readdirSync(lessonDir).filter((f) => f.endsWith('.py') && f !== 'tictactoe.py').sort();
  assert.ok(files.length > 0, `no .py files in ${lessonDir}`);
  const have = new Set(LESSON_PROGRAMS.map((p) => p.file));
  for (const file of files) assert.ok(have.has(file), `${file} has no built-in program`);
  assert.deepEqual([...have].sort(), files, 'every built-in lesson program mirrors a lesson file');
});

test('answer programs: unique names, file names, question labels, worksheet order', async () => {
  const answers = await answerPrograms();
  const names = answers.map((p) => p.name);
  assert.equal(new Set(names).size, names.length, `duplicate names in ${names.join(', ')}`);
  const questions: number[] = [];
  for (const program of answers) {
    assert.equal(program.file, pyFileName(program), program.name);
    const label = /^Question (\d+) \(answer\)$/.exec(program.lesson);
    assert.ok(label, `${program.name}: lesson is ${program.lesson}`);
    questions.push(Number(label[1]));
    assert.notEqual(program.summary.trim(), '', program.name);
    assert.equal(typeof program.main, 'function', program.name);
  }
  assert.deepEqual(questions, [...questions].sort((a, b) => a - b), 'answers in worksheet order');
  assert.deepEqual([...new Set(questions)], [6, 8, 9, 10]);
});

test('names are unique across lesson programs, answers and tools', async () => {
  const all = [...LESSON_PROGRAMS, ...(await answerPrograms()), nc].map((p) => p.name);
  assert.equal(new Set(all).size, all.length, `duplicate names in ${all.join(', ')}`);
  assert.equal(nc.name, 'nc');
  assert.equal(nc.file, 'nc');
  assert.equal(nc.lesson, 'tool');
});

test('registries match the shared program catalog', async () => {
  assert.deepEqual(LESSON_PROGRAMS.map((p) => p.name), [...LESSON_PROGRAM_NAMES]);
  assert.deepEqual((await answerPrograms()).map((p) => p.name), [...ANSWER_PROGRAM_NAMES]);
  assert.deepEqual([nc.name], [...TOOL_PROGRAM_NAMES]);
});

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) tsFiles(path, out);
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

test('nothing outside web/common/programs/answers/ imports the answers statically', () => {
  const answersDir = join(here, 'answers') + sep;
  const webDir = resolve(here, '..', '..');
  // `import x from '...'`, `import '...'`, `export ... from '...'`; type-only imports are erased.
  const staticImport = /(?:^|[\n;])\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/g;
  const offenders: string[] = [];
  for (const file of tsFiles(webDir)) {
    if (file.startsWith(answersDir)) continue;
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(staticImport)) {
      const [, , typeOnly, specifier] = match;
      if (typeOnly || !specifier!.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier!);
      if ((target + sep).startsWith(answersDir) || target.startsWith(answersDir)) {
        offenders.push(`${relative(repoRoot, file)} imports ${specifier}`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});
