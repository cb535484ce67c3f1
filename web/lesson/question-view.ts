// One inline question: its choices as a radio group (Tab into it, arrows to move, Space to
// pick), Check (or Enter on it) grades the pick with web/common/lesson/grade.ts and the reason appears in a live
// region; a wrong pick can be changed and checked again. Questions with tryIt also have a
// button that types them into the console's Python.

import { grade } from '../common/lesson/grade.ts';
import type { LessonHost } from './lesson-host.ts';
import type { InlineQuestion, Letter } from '../common/lesson/questions.ts';

function codeOr(text: string, code: boolean | undefined): HTMLElement {
  const element = document.createElement(code ? 'code' : 'span');
  element.textContent = text;
  return element;
}

export function renderQuestion(question: InlineQuestion, host: LessonHost): HTMLElement {
  const id = `lesson-q${question.number}`;
  const form = document.createElement('form');
  form.className = 'lesson-question';
  form.dataset.question = String(question.number);
  form.noValidate = true;
  form.innerHTML = `
<fieldset class="question-choices" role="radiogroup" aria-describedby="${id}-feedback">
  <legend class="question-stem" id="${id}-stem"><span class="question-number"></span> <span class="question-text"></span></legend>
</fieldset>
<div class="question-actions"><button type="submit" class="question-check">Check answer</button></div>
<p class="question-feedback" id="${id}-feedback" role="status" aria-live="polite"></p>`;
  form.querySelector('.question-number')!.textContent = `Question ${question.number}`;
  const stem = form.querySelector<HTMLElement>('.question-text')!;
  stem.textContent = `${question.stem} `;
  if (question.expression) stem.append(codeOr(question.expression, true));
  const page = document.createElement('span');
  page.className = 'question-page';
  page.textContent = ` (worksheet page ${question.page})`;
  stem.append(page);

  const group = form.querySelector('fieldset')!;
  for (const choice of question.choices) {
    const label = document.createElement('label');
    label.className = 'question-choice';
    label.dataset.letter = choice.letter;
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = id;
    input.value = choice.letter;
    const letter = document.createElement('span');
    letter.className = 'choice-letter';
    letter.textContent = `${choice.letter}.`;
    label.append(input, letter, ' ', codeOr(choice.text, choice.code));
    group.append(label);
  }

  const feedback = form.querySelector<HTMLElement>('.question-feedback')!;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const picked = form.querySelector<HTMLInputElement>('input[type="radio"]:checked');
    for (const label of form.querySelectorAll<HTMLElement>('.question-choice')) delete label.dataset.result;
    if (!picked) {
      form.dataset.result = 'none';
      feedback.textContent = 'Pick one of A to D first (Tab to the choices, then the arrow keys).';
      return;
    }
    const result = grade(question, picked.value as Letter);
    form.dataset.result = result.correct ? 'right' : 'wrong';
    picked.closest<HTMLElement>('.question-choice')!.dataset.result = form.dataset.result;
    // Every right reason starts with "Right"; a wrong one says why and invites another go.
    feedback.textContent = result.correct ? `${picked.value}: ${result.reason}` : `${picked.value}: not this one. ${result.reason} Pick another and check again.`;
  });
  // A new pick clears the old verdict, so what is shown always belongs to the pick shown.
  form.addEventListener('change', () => {
    delete form.dataset.result;
    for (const label of form.querySelectorAll<HTMLElement>('.question-choice')) delete label.dataset.result;
    feedback.textContent = '';
  });

  if (question.tryIt) {
    const tryIt = document.createElement('button');
    tryIt.type = 'button';
    tryIt.className = 'question-try secondary';
    tryIt.textContent = 'Try it in Python';
    tryIt.setAttribute('aria-label', `Try Question ${question.number} in Python: types ${question.tryIt.join(' and ')} into a console`);
    const lines = question.tryIt;
    tryIt.addEventListener('click', () => {
      void (async () => {
        await host.runCommand('python');
        await host.typeLines([...lines]);
      })();
    });
    form.querySelector('.question-actions')!.append(tryIt);
  }
  return form;
}
