// What the lesson pane (and its exercises' Check) may ask of the lab page it sits in. The lab
// page implements it; the pane and the checks use nothing else of the page, so they can be
// built and tested apart from it.

import type { DeviceFiles } from '../files/device-files.ts';

export interface LessonHost {
  /** The lab's code and this device's key, as the consoles use them to say hello. */
  readonly lab: string;
  readonly deviceKey: string;
  /** The bridge's WebSocket URL (web/page/page-route.ts bridgeUrl). */
  readonly bridgeUrl: string;
  /** This device's Python files (the editor's). */
  readonly files: DeviceFiles;
  /**
   * Runs a shell command in a console: the one the student was last in when it is at its
   * prompt, otherwise a new one ('run basic_server', 'python chat_server.py', 'python').
   */
  runCommand(command: string): Promise<void>;
  /** Types lines into the console the student was last in (e.g. into Python's >>> prompt). */
  typeLines(lines: string[]): Promise<void>;
  /** Opens the editor on a device file, creating it with `initialText` when it does not exist. */
  openFile(name: string, initialText?: string): Promise<void>;
}
