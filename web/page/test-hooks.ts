// What browser tests read: window.socketLab.consoles[i] is the i-th open console on the page
// (in screen order), with text() for everything it has shown, screenText() for xterm.js's own
// buffer, type(keys) to type into it, state and pid; its element carries data-state,
// data-pid, data-console, data-address and, while a program runs, data-program and
// data-program-pid.
// window.socketLab.files is the device's Python files (DeviceFiles); window.socketLab.editor
// drives the editor pane (loaded on first open): open(name) opens the pane and that file,
// text() and setText(text) read and replace what is in the editor, run() saves and runs it.
// window.socketLab.lesson is the lesson pane: isOpen(), section() (the id shown), open(id?),
// and host(), the LessonHost the pane uses (runCommand, typeLines, openFile).

import type { XtermConsole } from '../console/xterm-console.ts';
import type { DeviceFiles } from '../files/device-files.ts';
import type { LessonHost } from '../lesson/lesson-host.ts';

export interface EditorHooks {
  /** Opens the editor pane (loading the editor the first time) and, if named, that file. */
  open(name?: string): Promise<void>;
  /** Closes the pane (saving first). */
  close(): void;
  isOpen(): boolean;
  /** The open file's name; null before the editor is loaded or when there are no files. */
  file(): string | null;
  /** The editor's text; null before the editor is loaded. */
  text(): string | null;
  /** Replaces the text as typing would (saved after the usual pause). Throws if not loaded. */
  setText(text: string): void;
  /** Saves now; false when the files refused it (the reason is shown). */
  save(): boolean;
  /** Saves and runs the open file in a console, as the Run button does. Throws if not loaded. */
  run(): void;
}

export interface LessonHooks {
  isOpen(): boolean;
  /** The section shown ('sockets', 'protocol'...); null before the pane was first opened. */
  section(): string | null;
  /** Opens the pane, at that section if named. */
  open(section?: string): void;
  host(): LessonHost;
}

export interface SocketLabHooks {
  /** The lab's code; null on pages that are not a lab. */
  lab: string | null;
  /** This device's lab address once a console is connected (null again while reconnecting). */
  address: string | null;
  /** The page's consoles (on the lab page, its console list itself: console-list.ts). */
  readonly consoles: readonly XtermConsole[];
  /** The consoles' connections: 'ok' (none lost), 'reconnecting' (the lab server went away:
   * retrying by itself), 'disconnected' (closed for another reason, said in the banner). */
  server: 'ok' | 'reconnecting' | 'disconnected';
  /** The device's Python files; null on pages that are not a lab. */
  files: DeviceFiles | null;
  /** The editor pane; null on pages that are not a lab. */
  editor: EditorHooks | null;
  /** The lesson pane; null on pages that are not a lab. */
  lesson: LessonHooks | null;
}

declare global {
  interface Window {
    socketLab?: SocketLabHooks;
  }
}

/** Sets window.socketLab for the page; `consoles` gives the page's consoles (none by default). */
export function installHooks(lab: string | null, consoles: () => readonly XtermConsole[] = () => []): SocketLabHooks {
  const hooks: SocketLabHooks = {
    lab,
    address: null,
    get consoles() {
      return consoles();
    },
    server: 'ok',
    files: null,
    editor: null,
    lesson: null,
  };
  window.socketLab = hooks;
  return hooks;
}
