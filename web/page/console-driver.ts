// Typing into the lab page's consoles for the editor's Run and the lesson (LessonHost's
// runCommand and typeLines): into the console the student was last in when it can take the
// line, otherwise where it can.

import { isValidFileName } from '../files/device-files.ts';
import type { XtermConsole } from '../console/xterm-console.ts';
import type { ConsoleList } from './console-list.ts';
import { whenSettled, whenWaitingForLine } from './console-waits.ts';

/** How long typeLines waits for the console's Python to show its >>> prompt (a first
 * Python loads Pyodide, which takes a while on a slow school network). */
const PYTHON_PROMPT_WAIT_MS = 120_000;
/** How long Run waits for a console that is still connecting before it opens another. */
const CONNECTING_WAIT_MS = 5000;
/** Ctrl-U: clears whatever was half typed at the prompt before the command goes in. */
const KILL_LINE = '\x15';

export class ConsoleDriver {
  constructor(private readonly consoles: ConsoleList) {}

  /** Runs a file of the device in a console (runCommand's console), for the editor's Run. */
  async runFile(name: string): Promise<void> {
    if (!isValidFileName(name)) return;
    await this.runCommand(`python ${name}`);
  }

  /**
   * Types a command line into the console the student was last in, or the first one, if it is
   * at its prompt; otherwise (a program runs there) into a new console.
   */
  async runCommand(command: string): Promise<void> {
    const open = this.consoles.all;
    const candidates = [this.consoles.current, ...open].filter((c): c is XtermConsole => c !== null && open.includes(c));
    await Promise.all(candidates.map((c) => whenSettled(c, CONNECTING_WAIT_MS)));
    const target = candidates.find((c) => open.includes(c) && c.state === 'prompt');
    if (target) {
      target.type(`${KILL_LINE}${command}\r`);
      target.focus();
    } else {
      this.consoles.add(command).focus();
    }
  }

  /**
   * Types lines into the console the student was last in (the last one opened otherwise),
   * each once the console waits for a line: at Python's >>> or ... prompt, or at the shell's
   * prompt. Lines typed while Python is still loading would be echoed before its banner.
   */
  async typeLines(lines: string[]): Promise<void> {
    const open = this.consoles.all;
    const last = this.consoles.current;
    const target = last && open.includes(last) ? last : open[open.length - 1];
    if (!target) return;
    for (const line of lines) {
      await whenWaitingForLine(target, PYTHON_PROMPT_WAIT_MS);
      target.type(`${KILL_LINE}${line}\r`);
    }
    target.focus();
  }
}
