// The lab page at /lab/CODE: a header with the lab's code and this device's lab address, and
// consoles side by side (two per row, more wrap), each its own process on this device. Every
// tab of this browser is the same device (the key in localStorage); another browser is another,
// and so is a tab opened with "Add a device" (tab-device-key.ts). The page is a composition of
// its parts, each in its own file:
//   lab-page-template.ts  the HTML          join-tools.ts      join URL, QR code, Join lab
//   console-list.ts       the consoles      console-driver.ts  typing into them (Run, lesson)
//   editor-pane.ts        the editor        lesson-dock.ts     the lesson pane
//   connection-status.ts  address, banner   page-theme.ts      the theme switch
// The lesson reaches the page through LessonHost (runCommand, typeLines, openFile); the test
// hooks (test-hooks.ts) read the parts.

import { SafeStorage } from '../common/safe-storage.ts';
import { DeviceFiles } from '../files/device-files.ts';
import { LESSON_FILES } from '../files/lesson-files.ts';
import type { LessonHost } from '../lesson/lesson-host.ts';
import { ConnectionStatus } from './connection-status.ts';
import { ConsoleDriver } from './console-driver.ts';
import { ConsoleList } from './console-list.ts';
import { EditorPane } from './editor-pane.ts';
import { showJoinTools } from './join-tools.ts';
import { LAB_PAGE_HTML } from './lab-page-template.ts';
import { LessonDock } from './lesson-dock.ts';
import { showNoSuchLab } from './no-such-lab.ts';
import { pageStorage } from './page-storage.ts';
import { installPageTheme, parseThemeChoice, type PageTheme } from './page-theme.ts';
import { bridgeUrl, fileToOpen } from './page-route.ts';
import { tabDeviceKey } from './tab-device-key.ts';
import { installHooks } from './test-hooks.ts';

class LabPage {
  readonly consoles: ConsoleList;
  readonly editor: EditorPane;
  readonly lesson: LessonDock;
  private readonly theme: PageTheme;
  /** Removes the listeners on window and document (dispose()). */
  private readonly pageListeners = new AbortController();

  constructor(root: HTMLElement, code: string) {
    root.innerHTML = LAB_PAGE_HTML;
    const $ = <T extends HTMLElement = HTMLElement>(selector: string) => root.querySelector<T>(selector)!;
    const signal = this.pageListeners.signal;
    const hooks = installHooks(code, () => this.consoles.all);
    $('.lab-code').textContent = code;
    showJoinTools(root, code);
    const deviceKey = tabDeviceKey(code);
    document.title = `Lab ${code} · Socket Lab`;

    const storage = pageStorage();
    this.theme = installPageTheme(storage);
    const themeSelect = $<HTMLSelectElement>('.theme-select');
    themeSelect.value = this.theme.choice;
    themeSelect.addEventListener('change', () => this.theme.choose(parseThemeChoice(themeSelect.value)));
    const files = new DeviceFiles(storage, code, deviceKey, LESSON_FILES);
    // Another tab of this browser (the same device) changed the files.
    window.addEventListener(
      'storage',
      (event) => {
        if (event.storageArea === storage) files.storageChanged(event.key);
      },
      { signal },
    );

    const status = new ConnectionStatus($('.banner'), $('.lab-address'), code, hooks, signal);
    this.consoles = new ConsoleList($('.consoles'), $('.no-consoles'), {
      console: { lab: code, deviceKey, bridgeUrl: bridgeUrl(location, code), files: () => files.snapshot() },
      onWelcome: (console, welcome) => status.welcomed(console, welcome),
      onLost: (console, explanation) => status.changed(console, explanation),
      onRemoved: (console) => status.changed(console, null),
    });
    // The page lives as long as the tab: these listeners go with it.
    for (const button of root.querySelectorAll<HTMLButtonElement>('.new-console')) {
      button.addEventListener('click', () => this.consoles.add().focus());
    }
    const driver = new ConsoleDriver(this.consoles);
    const workspace = $('.workspace');
    const remembered = new SafeStorage(storage);
    this.editor = new EditorPane($('.editor-pane'), $<HTMLButtonElement>('.toggle-editor'), workspace, {
      code,
      deviceKey,
      files,
      storage: remembered,
      run: (name) => void driver.runFile(name),
    });
    const host: LessonHost = {
      lab: code,
      deviceKey,
      bridgeUrl: bridgeUrl(location, code),
      files,
      runCommand: (command) => driver.runCommand(command),
      typeLines: (lines) => driver.typeLines(lines),
      openFile: (name, initialText) => this.editor.openFile(name, initialText),
    };
    this.lesson = new LessonDock($('.lesson-pane'), $<HTMLButtonElement>('.toggle-lesson'), workspace, { host, storage: remembered, signal });
    hooks.files = files;
    hooks.editor = this.editor.hooks();
    hooks.lesson = this.lesson.hooks();
  }

  /** Stops listening to the window and the document (the page otherwise lives as long as the tab). */
  dispose(): void {
    this.pageListeners.abort();
    this.theme.dispose();
  }
}

/** /lab/CODE: checks the lab exists, then opens the first console (running `run` if asked). */
export async function showLabPage(root: HTMLElement, code: string, run: string | null): Promise<void> {
  let response: Response | null = null;
  try {
    response = await fetch(`/api/labs/${encodeURIComponent(code)}`);
  } catch {
    // The server is not answering; the page below says so.
  }
  if (response?.status === 404) return showNoSuchLab(root, code);
  const page = new LabPage(root, code);
  const file = fileToOpen(location.search);
  page.editor.restore(file);
  page.lesson.restore();
  // A server that did not answer: the console says so and connects once it is back.
  const first = page.consoles.add(run ? `run ${run}` : undefined);
  // With ?open=FILE the editor has the keys; otherwise the console.
  if (file === null) first.focus();
}
