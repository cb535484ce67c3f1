import { test } from 'vitest';
import assert from 'node:assert/strict';
import { grade } from './grade.ts';
import { QUESTIONS, questionByNumber } from './questions.ts';

test('Questions 1-5 and 7 are here, each with choices A-D and a reason for every one', () => {
  assert.deepEqual(QUESTIONS.map((q) => q.number), [1, 2, 3, 4, 5, 7]);
  for (const q of QUESTIONS) {
    assert.deepEqual(q.choices.map((c) => c.letter), ['A', 'B', 'C', 'D'], `Question ${q.number}`);
    for (const c of q.choices) assert.ok(c.reason.length > 40, `Question ${q.number} ${c.letter} has a real reason`);
    assert.equal(new Set(q.choices.map((c) => c.reason)).size, 4, `Question ${q.number}: each reason is its own`);
  }
});

test("the worksheet's answers are accepted: 1 C, 2 D, 3 B, 4 B, 5 D, 7 B", () => {
  const answers: Record<number, string> = { 1: 'C', 2: 'D', 3: 'B', 4: 'B', 5: 'D', 7: 'B' };
  for (const q of QUESTIONS) {
    assert.equal(q.answer, answers[q.number]);
    const result = grade(q, q.answer);
    assert.equal(result.correct, true);
    assert.match(result.reason, /^Right/);
  }
});

test('every wrong choice is refused with its own reason', () => {
  for (const q of QUESTIONS) {
    for (const c of q.choices.filter((choice) => choice.letter !== q.answer)) {
      const result = grade(q, c.letter);
      assert.equal(result.correct, false, `Question ${q.number} ${c.letter}`);
      assert.equal(result.reason, c.reason);
      assert.doesNotMatch(result.reason, /^Right/);
    }
  }
});

test("Question 7 says why each wrong choice cannot be one recv(); 4 and 5 can be tried in Python", () => {
  const q7 = questionByNumber(7)!;
  for (const c of q7.choices.filter((choice) => choice.letter !== q7.answer)) assert.match(c.reason, /^Cannot be:/);
  assert.deepEqual(questionByNumber(4)!.tryIt, ["len('\\u4e2d')"]);
  assert.equal(questionByNumber(5)!.tryIt![0], "len('\\u4e2d'.encode())");
  assert.throws(() => grade(q7, 'E' as 'A'), /no choice E/);
});
