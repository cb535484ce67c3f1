// Every checked question, by number.

import { QUESTION_6 } from './question-6.ts';
import { QUESTION_8 } from './question-8.ts';
import { QUESTION_9 } from './question-9.ts';
import { QUESTION_10 } from './question-10.ts';
import { QUESTION_11 } from './question-11.ts';
import type { CheckQuestion, QuestionChecks } from './scenario.ts';

export const QUESTION_CHECKS: Readonly<Record<CheckQuestion, QuestionChecks>> = {
  6: QUESTION_6,
  8: QUESTION_8,
  9: QUESTION_9,
  10: QUESTION_10,
  11: QUESTION_11,
};
