// Where an exercise's Check panel goes in its section. The panel is exercise-panel.ts, built
// apart from the pane and loaded when the pane is built (its own chunk), through
// import.meta.glob so that the pane builds and works even without that file: then, or while
// it loads, or if it fails to load, the slot shows a placeholder (what to write, and buttons
// that open the files).

/// <reference types="vite/client" />

import type { Exercise } from '../common/lesson/exercises.ts';
import type { LessonHost } from './lesson-host.ts';

/** What the pane needs of exercise-panel.ts: renders question N's panel into container. */
interface PanelModule {
  renderExercisePanel?: (container: HTMLElement, question: Exercise['number'], host: LessonHost) => unknown;
}

// Empty when exercise-panel.ts is absent (a glob that matches nothing is not an error).
const PANEL_MODULES = import.meta.glob<PanelModule>('./exercise-panel.ts');

export function renderExerciseSlot(exercise: Exercise, host: LessonHost, files: Readonly<Record<string, string>>): HTMLElement {
  const slot = document.createElement('section');
  slot.className = 'lesson-exercise';
  slot.dataset.exercise = String(exercise.number);
  const titleId = `lesson-exercise-${exercise.number}`;
  slot.setAttribute('aria-labelledby', titleId);
  slot.innerHTML = `<h3 class="lesson-exercise-title" id="${titleId}"></h3><p class="lesson-exercise-task"></p><div class="exercise-mount" data-mounted="placeholder"></div>`;
  slot.querySelector('h3')!.textContent = exercise.ours
    ? `Question ${exercise.number}: exercise (ours, not in the worksheet; it builds on pages ${exercise.pages})`
    : `Question ${exercise.number}: exercise (worksheet page ${exercise.pages})`;
  slot.querySelector('.lesson-exercise-task')!.textContent = exercise.task;
  const mount = slot.querySelector<HTMLElement>('.exercise-mount')!;
  mount.append(placeholder(exercise, host, files));
  void mountPanel(slot, mount, exercise.number, host);
  return slot;
}

/** The files to write, each opened in the editor (made from its starting program the first time). */
function placeholder(exercise: Exercise, host: LessonHost, files: Readonly<Record<string, string>>): HTMLElement {
  const box = document.createElement('div');
  box.className = 'exercise-placeholder';
  const note = document.createElement('p');
  note.className = 'exercise-placeholder-note';
  note.textContent = 'Exercise panel (Check) goes here. For now: write the program, run it with a partner or a built-in.';
  const list = document.createElement('ul');
  list.className = 'lesson-exercise-files';
  for (const file of exercise.files) {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary';
    button.textContent = `Open ${file.name}`;
    button.setAttribute('aria-label', `Open ${file.name} in the editor`);
    button.addEventListener('click', () => {
      const start = file.startFrom ? (host.files.read(file.startFrom) ?? files[file.startFrom] ?? '') : '';
      void host.openFile(file.name, start);
    });
    item.append(button);
    list.append(item);
  }
  box.append(note, list);
  return box;
}

async function mountPanel(slot: HTMLElement, mount: HTMLElement, question: Exercise['number'], host: LessonHost): Promise<void> {
  const load = PANEL_MODULES['./exercise-panel.ts'];
  if (!load) return;
  try {
    const render = (await load()).renderExercisePanel;
    if (typeof render !== 'function') return;
    const placeholderContent = [...mount.childNodes];
    mount.replaceChildren();
    try {
      render(mount, question, host);
      mount.dataset.mounted = 'panel';
      // The panel says the task itself.
      slot.querySelector<HTMLElement>('.lesson-exercise-task')!.hidden = true;
    } catch (err) {
      mount.replaceChildren(...placeholderContent);
      console.error(`Question ${question}: the exercise panel failed`, err);
    }
  } catch (err) {
    // Not loaded (the server went away, say): the placeholder stays.
    console.error('the exercise panel could not be loaded', err);
  }
}
