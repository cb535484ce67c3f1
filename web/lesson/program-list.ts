// A section's Programs, each with a button per way to run it: the built-in (`run NAME` in a
// console), the device's Python file (`python FILE`, restored from the worksheet's text if the
// student deleted it), and the file in the editor. The lab's own programs (lab-programs.ts)
// have no built-in: their Run is `python FILE`, and the file is written to the device the
// first time it is run or opened (a device starts with the worksheet's files only). A library
// (tictactoe.py) only opens. Also the section's shell commands.

import { LAB_PROGRAMS } from '../files/lab-programs.ts';
import type { LessonHost } from './lesson-host.ts';
import type { LessonProgram, LessonSection } from '../common/lesson/sections.ts';

function button(text: string, label: string, secondary: boolean, onClick: () => void): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = text;
  element.setAttribute('aria-label', label);
  if (secondary) element.className = 'secondary';
  element.addEventListener('click', onClick);
  return element;
}

/** Puts the worksheet's file back when the student deleted it (no-op otherwise). */
function ensureFile(host: LessonHost, name: string, lessonFiles: Readonly<Record<string, string>>): void {
  const text = lessonFiles[name];
  if (host.files.read(name) === null && text !== undefined) host.files.write(name, text);
}

function programItem(program: LessonProgram, host: LessonHost, lessonFiles: Readonly<Record<string, string>>): HTMLElement {
  const item = document.createElement('li');
  item.className = 'lesson-program';
  item.dataset.program = program.number === null ? program.file : String(program.number);
  const title = document.createElement('span');
  title.className = 'lesson-program-title';
  title.innerHTML = program.number === null ? '<code></code>' : '<span></span> <code></code>';
  if (program.number !== null) title.firstElementChild!.textContent = `Program ${program.number}:`;
  title.lastElementChild!.textContent = program.file;
  const summary = document.createElement('span');
  summary.className = 'lesson-program-summary';
  summary.textContent = program.summary;
  const actions = document.createElement('span');
  actions.className = 'lesson-program-actions';
  const name = program.number === null ? program.file : `Program ${program.number}`;
  const runPython = () => {
    ensureFile(host, program.file, lessonFiles);
    void host.runCommand(`python ${program.file}`);
  };
  if (program.builtin) {
    const builtin = program.builtin;
    actions.append(button('Run', `Run ${name} in a console (run ${builtin})`, false, () => void host.runCommand(`run ${builtin}`)));
    actions.append(button('Run as Python', `Run ${name} as Python (python ${program.file})`, true, runPython));
  } else if (!program.library) {
    actions.append(button('Run', `Run ${name} in a console (python ${program.file})`, false, runPython));
  }
  actions.append(button('Open in editor', `Open ${program.file} in the editor`, true, () => void host.openFile(program.file, lessonFiles[program.file])));
  item.append(title, ' ', summary, actions);
  return item;
}

export function renderPrograms(section: LessonSection, host: LessonHost, lessonFiles: Readonly<Record<string, string>>): HTMLElement | null {
  if (section.programs.length === 0 && section.commands.length === 0) return null;
  const programFiles = { ...LAB_PROGRAMS, ...lessonFiles };
  const list = document.createElement('ul');
  list.className = 'lesson-programs';
  for (const program of section.programs) list.append(programItem(program, host, programFiles));
  for (const { command, shows } of section.commands) {
    const item = document.createElement('li');
    item.className = 'lesson-command';
    const code = document.createElement('code');
    code.textContent = command;
    const summary = document.createElement('span');
    summary.className = 'lesson-program-summary';
    summary.textContent = shows;
    const actions = document.createElement('span');
    actions.className = 'lesson-program-actions';
    actions.append(button('Run', `Run ${command} in a console`, false, () => void host.runCommand(command)));
    item.append(code, ' ', summary, actions);
    list.append(item);
  }
  return list;
}
