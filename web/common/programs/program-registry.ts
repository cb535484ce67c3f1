// Finds a built-in program by name. The worksheet's answers live in their own chunk, loaded
// only when the teacher has revealed them (the server refuses the chunk before that).

import { isAnswerProgram } from '../../../shared/program-catalog.ts';
import type { BuiltinProgram } from './program.ts';
import { LESSON_PROGRAMS } from './lesson-programs.ts';
import { nc } from './tools/nc.ts';

const TOOLS: readonly BuiltinProgram[] = [nc];

async function answerPrograms(): Promise<readonly BuiltinProgram[]> {
  const module = await import('./answers/answer-programs.ts');
  return module.ANSWER_PROGRAMS;
}

export async function findProgram(name: string, revealAnswers: boolean): Promise<BuiltinProgram | null> {
  const plain = [...LESSON_PROGRAMS, ...TOOLS].find((p) => p.name === name);
  if (plain) return plain;
  if (!isAnswerProgram(name) || !revealAnswers) return null;
  return (await answerPrograms()).find((p) => p.name === name) ?? null;
}

/** What `run` with no name lists. */
export async function listPrograms(revealAnswers: boolean): Promise<readonly BuiltinProgram[]> {
  return revealAnswers ? [...LESSON_PROGRAMS, ...(await answerPrograms())] : LESSON_PROGRAMS;
}
