// Grades a picked choice of an inline question: right or wrong, with that choice's reason.
// Pure, so every choice of every question is unit-tested.

import type { InlineQuestion, Letter } from './questions.ts';

export interface Grade {
  correct: boolean;
  /** The picked choice's one-paragraph reason. */
  reason: string;
}

export function grade(question: InlineQuestion, picked: Letter): Grade {
  const choice = question.choices.find((c) => c.letter === picked);
  if (!choice) throw new Error(`Question ${question.number} has no choice ${picked}`);
  return { correct: picked === question.answer, reason: choice.reason };
}
