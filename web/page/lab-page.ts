// The lab page at /lab/CODE: a header with the lab's code and this device's lab address, and
// consoles side by side (two per row, more wrap), each its own process on this device. Every
// tab of this browser is the same device (the key in localStorage); another browser is another,
// and so is a tab opened with "Add a device" (?device=new). The header shows the join URL and
// its QR code for a partner.
// The Editor button opens the device's Python files in an editor beside the consoles (loaded
// only then: CodeMirror is not in the first bundle); its Run types `python FILE` into a console.
// The Lesson button opens the lesson pane (web/lesson/lesson-pane.ts) beside them: open at
// first on a wide screen, then as the student left it; /lab/CODE#lesson=SECTION opens a
// section. The pane reaches the page through LessonHost (runCommand, typeLines, openFile).
// The theme switch (light, dark, or the system's) is page-theme.ts's.
// When the lab server goes away the banner says so while the consoles reconnect by themselves
// (connection-banner.ts says what, the consoles do the retrying); other closes say why.

import type { Welcome } from '../../shared/bridge-protocol.ts';
import type { CloseExplanation } from '../common/bridge/close-reasons.ts';
import { XtermConsole } from '../console/xterm-console.ts';
import { DeviceFiles, isValidFileName } from '../files/device-files.ts';
import { LESSON_FILES } from '../files/lesson-files.ts';
import { MemoryStorage } from '../files/memory-storage.ts';
import type { PythonEditor } from '../editor/python-editor.ts';
import { browserStorage, DEVICE_KEY_PATTERN, deviceKeyFor, deviceStorageKey, newDeviceKey } from './device-key.ts';
import { encodeQr, qrSvg } from './qr-code.ts';
import { connectionBanner, type BannerAction } from '../common/page/connection-banner.ts';
import { bridgeUrl, fileToOpen } from './page-route.ts';
import { installHooks, type SocketLabHooks } from './test-hooks.ts';
import { installPageTheme, parseThemeChoice, type PageTheme } from './page-theme.ts';
import type { LessonHost } from '../lesson/lesson-host.ts';
import { LessonPane } from '../lesson/lesson-pane.ts';
import { sectionFromHash } from '../common/lesson/sections.ts';

/** Whether the editor pane was open, for the next page load (every lab alike). */
const EDITOR_OPEN_KEY = 'socketlab.editor.open';
/** Whether the lesson pane was open ('1' or '0'; absent on a first visit). */
const LESSON_OPEN_KEY = 'socketlab.lesson.open';
/** On a first visit the lesson starts open where it leaves the consoles room (CSS px). */
const LESSON_OPEN_MIN_WIDTH_PX = 1100;
/** How long typeLines waits for the console's Python to show its >>> prompt (a first
 * Python loads Pyodide, which takes a while on a slow school network). */
const PYTHON_PROMPT_WAIT_MS = 120_000;
/** How long Run waits for a console that is still connecting before it opens another. */
const CONNECTING_WAIT_MS = 5000;
/** Ctrl-U: clears whatever was half typed at the prompt before the command goes in. */
const KILL_LINE = '\x15';

const LAB_TEMPLATE = `
<header class="lab-header">
  <a class="brand" href="/" title="Create or join another lab">Socket Lab</a>
  <dl class="lab-facts">
    <div><dt>Lab</dt><dd class="lab-code"></dd></div>
    <div><dt>This device</dt><dd class="lab-address">…</dd></div>
    <div class="lab-share"><dt>Join URL</dt><dd><a class="lab-link"></a></dd></div>
  </dl>
  <div class="lab-join-tools">
    <button type="button" class="show-qr secondary" aria-haspopup="dialog">Show QR code</button>
    <a class="add-device" target="_blank" aria-describedby="add-device-hint">Add a device</a>
    <span class="add-device-hint" id="add-device-hint">opens this lab as another computer</span>
  </div>
  <form class="join-lab" autocomplete="off">
    <label>Join lab <input name="code" size="8" maxlength="32" placeholder="CODE" aria-label="Lab code to join" required></label>
    <button type="submit">Join</button>
  </form>
  <div class="lab-actions">
    <label class="theme-switch">Theme <select class="theme-select" aria-label="Colour theme">
      <option value="system">System</option><option value="light">Light</option><option value="dark">Dark</option>
    </select></label>
    <button type="button" class="toggle-lesson secondary" aria-pressed="false" aria-controls="lesson-pane" title="The worksheet's sections, Programs and questions">Lesson</button>
    <button type="button" class="toggle-editor secondary" aria-pressed="false" aria-controls="editor-pane" title="Edit and run this device's Python files">Editor</button>
    <button type="button" class="new-console">New console</button>
  </div>
</header>
<dialog class="qr-dialog" aria-labelledby="qr-title">
  <h2 id="qr-title" class="qr-title"></h2>
  <div class="qr-picture"></div>
  <p class="qr-url"></p>
  <form method="dialog"><button type="submit" class="qr-close">Close</button></form>
</dialog>
<div class="banner" role="alert" hidden><span class="banner-text"></span> <button type="button" class="banner-action secondary" hidden></button></div>
<div class="workspace" data-editor="closed" data-lesson="closed">
  <aside class="lesson-pane" id="lesson-pane" aria-label="Lesson" hidden></aside>
  <section class="editor-pane" id="editor-pane" aria-label="Editor" hidden></section>
  <div class="console-side">
    <main class="consoles"></main>
    <p class="no-consoles" hidden>No console is open. <button type="button" class="new-console">New console</button></p>
  </div>
</div>
`;

/** The tab's sessionStorage, or null where it is blocked. */
function tabStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/**
 * This tab's device key. Normally the browser's (localStorage: every tab the same device).
 * /lab/CODE?device=new ("Add a device") makes a fresh key kept in this tab's sessionStorage:
 * the tab is another computer in the lab, and stays that one when reloaded. The parameter is
 * then dropped from the address, so a copied address is the lab's ordinary one.
 */
function pageDeviceKey(code: string): string {
  const fill = (bytes: Uint8Array) => crypto.getRandomValues(bytes);
  const session = tabStorage();
  const name = deviceStorageKey(code);
  const params = new URLSearchParams(location.search);
  if (params.get('device') === 'new') {
    const key = newDeviceKey(fill);
    try {
      session?.setItem(name, key);
    } catch {
      // not kept: this tab is a new device until it is reloaded
    }
    params.delete('device');
    const search = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${search ? `?${search}` : ''}${location.hash}`);
    return key;
  }
  try {
    const own = session?.getItem(name);
    if (own && DEVICE_KEY_PATTERN.test(own)) return own;
  } catch {
    // fall back to the browser's device
  }
  return deviceKeyFor(code, browserStorage(), fill);
}

/** localStorage where the page may use it; otherwise storage that lasts as long as the page. */
function pageStorage(): Storage {
  try {
    const storage = window.localStorage;
    storage.getItem(EDITOR_OPEN_KEY); // throws where storage is blocked
    return storage;
  } catch {
    return new MemoryStorage();
  }
}

class LabPage {
  private readonly hooks: SocketLabHooks;
  private readonly consolesArea: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly deviceKey: string;
  private readonly storage: Storage;
  private readonly files: DeviceFiles;
  private readonly workspace: HTMLElement;
  private readonly editorPane: HTMLElement;
  private readonly editorToggle: HTMLButtonElement;
  private editor: PythonEditor | null = null;
  private readonly lessonElement: HTMLElement;
  private readonly lessonToggle: HTMLButtonElement;
  /** Built the first time the pane opens. */
  private lesson: LessonPane | null = null;
  private readonly theme: PageTheme;
  private editorLoading: Promise<PythonEditor> | null = null;
  /** The console the student was last in: Run uses it. */
  private lastFocused: XtermConsole | null = null;
  /** Why each console that is not connected lost its connection. */
  private readonly lost = new Map<XtermConsole, CloseExplanation>();
  private bannerAction: BannerAction | null = null;
  /** Removes the listeners on window and document (dispose()). */
  private readonly pageListeners = new AbortController();

  constructor(
    private readonly root: HTMLElement,
    private readonly code: string,
  ) {
    root.innerHTML = LAB_TEMPLATE;
    this.hooks = installHooks(code);
    this.consolesArea = root.querySelector('.consoles')!;
    this.banner = root.querySelector('.banner')!;
    root.querySelector('.lab-code')!.textContent = code;
    this.showJoinTools(code);
    this.deviceKey = pageDeviceKey(code);
    document.title = `Lab ${code} · Socket Lab`;
    this.storage = pageStorage();
    this.theme = installPageTheme(this.storage);
    const themeSelect = root.querySelector<HTMLSelectElement>('.theme-select')!;
    themeSelect.value = this.theme.choice;
    themeSelect.addEventListener('change', () => this.theme.choose(parseThemeChoice(themeSelect.value)));
    this.files = new DeviceFiles(this.storage, code, this.deviceKey, LESSON_FILES);
    this.hooks.files = this.files;
    this.hooks.editor = this.editorHooks();
    this.hooks.lesson = {
      isOpen: () => this.lessonIsOpen(),
      section: () => this.lesson?.section ?? null,
      open: (section) => this.openLesson(section ?? null),
      host: () => this.lessonHost(),
    };
    window.addEventListener(
      'storage',
      (event) => {
        if (event.storageArea === this.storage) this.files.storageChanged(event.key);
      },
      { signal: this.pageListeners.signal },
    );
    this.workspace = root.querySelector('.workspace')!;
    this.editorPane = root.querySelector('.editor-pane')!;
    this.editorToggle = root.querySelector('.toggle-editor')!;
    this.editorToggle.addEventListener('click', () => {
      if (this.editorIsOpen()) this.closeEditor();
      else void this.openEditor().then((editor) => editor?.focus());
    });
    this.lessonElement = root.querySelector('.lesson-pane')!;
    this.lessonToggle = root.querySelector('.toggle-lesson')!;
    this.lessonToggle.addEventListener('click', () => {
      if (this.lessonIsOpen()) this.showLessonPane(false);
      else this.openLesson(null);
    });
    window.addEventListener(
      'hashchange',
      () => {
        const section = sectionFromHash(location.hash);
        if (section !== null) this.openLesson(section);
      },
      { signal: this.pageListeners.signal },
    );
    this.consolesArea.addEventListener('focusin', (event) => {
      const element = (event.target as Element).closest('.console');
      this.lastFocused = this.hooks.consoles.find((c) => c.element === element) ?? this.lastFocused;
    });
    // The page lives as long as the tab: these listeners go with it.
    for (const button of root.querySelectorAll<HTMLButtonElement>('.new-console')) {
      button.addEventListener('click', () => this.addConsole().focus());
    }
    // The home page checks the code and says plainly when it is wrong (a lab page would not).
    root.querySelector<HTMLFormElement>('.join-lab')!.addEventListener('submit', (event) => {
      event.preventDefault();
      const input = (event.currentTarget as HTMLFormElement).elements.namedItem('code') as HTMLInputElement;
      location.assign(`/join?code=${encodeURIComponent(input.value.trim())}`);
    });
    root.querySelector('.banner-action')!.addEventListener('click', () => this.bannerClicked());
    // A hidden tab's timers are throttled (to once a minute, after a while): when the student
    // looks again, or the network is back, consoles still retrying try at once.
    const signal = this.pageListeners.signal;
    const retryNow = () => {
      if (document.visibilityState === 'visible') for (const c of this.lost.keys()) c.retryNow();
    };
    document.addEventListener('visibilitychange', retryNow, { signal });
    window.addEventListener('online', retryNow, { signal });
  }

  /** Stops listening to the window and the document (the page otherwise lives as long as the tab). */
  dispose(): void {
    this.pageListeners.abort();
    this.theme.dispose();
  }

  /**
   * The join URL (as this page was opened: 127.0.0.1 is good on this computer only, and the
   * page shows it as it is), its QR code in a dialog (Escape closes it), and "Add a device".
   */
  private showJoinTools(code: string): void {
    const joinUrl = `${location.origin}/join?code=${code}`;
    const link = this.root.querySelector<HTMLAnchorElement>('.lab-link')!;
    link.href = joinUrl;
    link.textContent = joinUrl;
    this.root.querySelector<HTMLAnchorElement>('.add-device')!.href = `/lab/${code}?device=new`;
    const dialog = this.root.querySelector<HTMLDialogElement>('.qr-dialog')!;
    this.root.querySelector('.qr-title')!.textContent = `Join lab ${code}`;
    this.root.querySelector('.qr-url')!.textContent = joinUrl;
    const picture = this.root.querySelector<HTMLElement>('.qr-picture')!;
    this.root.querySelector('.show-qr')!.addEventListener('click', () => {
      if (picture.childElementCount === 0) {
        try {
          picture.innerHTML = qrSvg(encodeQr(joinUrl), joinUrl);
        } catch (err) {
          picture.textContent = `No QR code: ${err instanceof Error ? err.message : String(err)}`;
        }
      }
      dialog.showModal();
      this.root.querySelector<HTMLButtonElement>('.qr-close')!.focus();
    });
    // A click on the backdrop (outside the dialog's box) closes it too.
    dialog.addEventListener('click', (event) => {
      if (event.target === dialog) dialog.close();
    });
  }

  addConsole(initialCommand?: string): XtermConsole {
    const opened: XtermConsole = new XtermConsole(this.consolesArea, {
      lab: this.code,
      deviceKey: this.deviceKey,
      bridgeUrl: bridgeUrl(location),
      initialCommand,
      files: () => this.files.snapshot(),
      onWelcome: (welcome) => {
        this.showDevice(welcome);
        this.connectionChanged(opened, null);
      },
      onLost: (explanation) => this.connectionChanged(opened, explanation),
      onCloseRequest: () => this.removeConsole(opened),
    });
    this.hooks.consoles.push(opened);
    this.layoutChanged();
    return opened;
  }

  private removeConsole(closing: XtermConsole): void {
    closing.close();
    const at = this.hooks.consoles.indexOf(closing);
    if (at >= 0) this.hooks.consoles.splice(at, 1);
    if (this.lastFocused === closing) this.lastFocused = null;
    this.connectionChanged(closing, null);
    this.layoutChanged();
  }

  // ---- the editor ----

  /** Opens the editor pane (at page load when it was open last time, or for ?open=FILE). */
  restoreEditor(file: string | null): void {
    if (file === null && this.storage.getItem(EDITOR_OPEN_KEY) !== '1') return;
    void this.openEditor(file ?? undefined).then((editor) => {
      if (file !== null) editor?.focus();
    });
  }

  editorIsOpen(): boolean {
    return !this.editorPane.hidden;
  }

  /** Shows the pane, loading the editor the first time; null if it could not be loaded. */
  async openEditor(file?: string): Promise<PythonEditor | null> {
    this.showEditorPane(true);
    let editor: PythonEditor;
    try {
      editor = await this.loadEditor();
    } catch {
      this.editorPane.textContent = 'The editor could not be loaded. Check the connection to the lab server and reload the page.';
      this.editorPane.classList.add('editor-failed');
      return null;
    }
    if (file !== undefined) {
      if (this.files.read(file) !== null) editor.open(file);
      else editor.notify(`There is no file ${file} on this device.`);
    }
    return editor;
  }

  closeEditor(): void {
    this.editor?.save();
    this.showEditorPane(false);
  }

  private showEditorPane(open: boolean): void {
    this.editorPane.hidden = !open;
    this.workspace.dataset.editor = open ? 'open' : 'closed';
    this.editorToggle.setAttribute('aria-pressed', String(open));
    try {
      this.storage.setItem(EDITOR_OPEN_KEY, open ? '1' : '0');
    } catch {
      // Not remembered: the pane still opens and closes.
    }
  }

  private loadEditor(): Promise<PythonEditor> {
    if (!this.editorLoading) {
      this.editorPane.classList.remove('editor-failed');
      this.editorPane.innerHTML = '<p class="editor-loading">Loading the editor…</p>';
      const rememberKey = `socketlab.editor.${this.code}.${this.deviceKey}.file`;
      this.editorLoading = import('../editor/python-editor.ts').then(
        ({ PythonEditor }) => {
          this.editorPane.replaceChildren();
          this.editor = new PythonEditor(this.editorPane, {
            files: this.files,
            run: (name) => void this.runInConsole(name),
            remember: {
              get: () => this.storage.getItem(rememberKey),
              set: (name) => {
                try {
                  this.storage.setItem(rememberKey, name);
                } catch {
                  // Not remembered: the first file opens next time.
                }
              },
            },
          });
          return this.editor;
        },
        (err: unknown) => {
          this.editorLoading = null; // the next open tries again
          throw err;
        },
      );
    }
    return this.editorLoading;
  }

  /** Runs a file of the device in a console (runCommand's console), for the editor's Run. */
  private async runInConsole(name: string): Promise<void> {
    if (!isValidFileName(name)) return;
    await this.runCommand(`python ${name}`);
  }

  /**
   * Types a command line into the console the student was last in, or the first one, if it is
   * at its prompt; otherwise (a program runs there) into a new console.
   */
  private async runCommand(command: string): Promise<void> {
    const consoles = this.hooks.consoles;
    const candidates = [this.lastFocused, ...consoles].filter((c): c is XtermConsole => c !== null && consoles.includes(c));
    await Promise.all(candidates.map((c) => settled(c, CONNECTING_WAIT_MS)));
    const target = candidates.find((c) => consoles.includes(c) && c.state === 'prompt');
    if (target) {
      target.type(`${KILL_LINE}${command}\r`);
      target.focus();
    } else {
      this.addConsole(command).focus();
    }
  }

  /**
   * Types lines into the console the student was last in (the last one opened otherwise),
   * each once the console waits for a line: at Python's >>> or ... prompt, or at the shell's
   * prompt. Lines typed while Python is still loading would be echoed before its banner.
   */
  private async typeLines(lines: string[]): Promise<void> {
    const consoles = this.hooks.consoles;
    const target = this.lastFocused && consoles.includes(this.lastFocused) ? this.lastFocused : consoles[consoles.length - 1];
    if (!target) return;
    for (const line of lines) {
      await whenWaitingForLine(target, PYTHON_PROMPT_WAIT_MS);
      target.type(`${KILL_LINE}${line}\r`);
    }
    target.focus();
  }

  /** Opens the editor on a device file, first making it from initialText when it is missing. */
  private async openFile(name: string, initialText?: string): Promise<void> {
    if (this.files.read(name) === null) {
      try {
        this.files.write(name, initialText ?? '');
      } catch (err) {
        // A bad name or a full device: the editor says there is no such file, and this why.
        const editor = await this.openEditor();
        editor?.notify(err instanceof Error ? err.message : String(err));
        return;
      }
    }
    const editor = await this.openEditor(name);
    editor?.focus();
  }

  private lessonHost(): LessonHost {
    return {
      lab: this.code,
      deviceKey: this.deviceKey,
      bridgeUrl: bridgeUrl(location),
      files: this.files,
      runCommand: (command) => this.runCommand(command),
      typeLines: (lines) => this.typeLines(lines),
      openFile: (name, initialText) => this.openFile(name, initialText),
    };
  }

  // ---- the lesson ----

  /** At page load: open for a #lesson= link, as last time, or on a first visit to a wide screen. */
  restoreLesson(): void {
    const linked = sectionFromHash(location.hash);
    const stored = this.storage.getItem(LESSON_OPEN_KEY);
    const firstVisitWide = stored === null && typeof matchMedia === 'function' && matchMedia(`(min-width: ${LESSON_OPEN_MIN_WIDTH_PX}px)`).matches;
    if (linked !== null || stored === '1' || firstVisitWide) this.openLesson(linked);
  }

  lessonIsOpen(): boolean {
    return !this.lessonElement.hidden;
  }

  /** Opens the pane (building it the first time), at the given section if one is named. */
  openLesson(section: string | null): void {
    if (!this.lesson) {
      this.lesson = new LessonPane(this.lessonElement, {
        host: this.lessonHost(),
        lessonFiles: LESSON_FILES,
        section,
        onSectionChange: (id) => this.lessonSectionShown(id),
      });
    } else if (section !== null) {
      this.lesson.show(section);
    }
    this.showLessonPane(true);
  }

  /** The address follows the section, so that it can be shared or reloaded. */
  private lessonSectionShown(id: string): void {
    const hash = `#lesson=${id}`;
    if (location.hash !== hash) history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);
  }

  private showLessonPane(open: boolean): void {
    this.lessonElement.hidden = !open;
    this.workspace.dataset.lesson = open ? 'open' : 'closed';
    this.lessonToggle.setAttribute('aria-pressed', String(open));
    try {
      this.storage.setItem(LESSON_OPEN_KEY, open ? '1' : '0');
    } catch {
      // Not remembered: the pane still opens and closes.
    }
  }

  private editorHooks(): NonNullable<SocketLabHooks['editor']> {
    const loaded = () => {
      if (!this.editor) throw new Error('the editor is not loaded: call open() first');
      return this.editor;
    };
    return {
      open: async (name) => {
        const editor = await this.openEditor(name);
        if (!editor) throw new Error('the editor could not be loaded');
        if (name !== undefined && editor.fileName !== name) throw new Error(`there is no file ${name} on this device`);
      },
      close: () => this.closeEditor(),
      isOpen: () => this.editorIsOpen() && this.editor !== null,
      file: () => this.editor?.fileName ?? null,
      text: () => this.editor?.text() ?? null,
      setText: (text) => loaded().setText(text),
      save: () => loaded().save(),
      run: () => loaded().run(),
    };
  }

  private layoutChanged(): void {
    const count = this.hooks.consoles.length;
    this.consolesArea.dataset.count = String(count);
    this.root.querySelector<HTMLElement>('.no-consoles')!.hidden = count > 0;
  }

  private showDevice(welcome: Welcome): void {
    this.hooks.address = welcome.device.address;
    this.root.querySelector('.lab-address')!.textContent = welcome.device.address;
    document.title = `${welcome.device.address} · Lab ${this.code} · Socket Lab`;
  }

  /** A console connected (explanation null), closed, or lost its connection: the banner follows. */
  private connectionChanged(changed: XtermConsole, explanation: CloseExplanation | null): void {
    if (explanation) this.lost.set(changed, explanation);
    else this.lost.delete(changed);
    const view = connectionBanner([...this.lost.values()]);
    this.hooks.server = view === null ? 'ok' : view.kind;
    if (view?.kind === 'reconnecting') {
      // The address comes back with the first welcome, from the lab's database.
      this.hooks.address = null;
      this.root.querySelector('.lab-address')!.textContent = '…';
    }
    this.bannerAction = view?.action ?? null;
    this.banner.hidden = view === null;
    this.banner.dataset.kind = view?.kind ?? '';
    this.banner.querySelector('.banner-text')!.textContent = view?.text ?? '';
    const button = this.banner.querySelector<HTMLButtonElement>('.banner-action')!;
    const labels: Record<BannerAction, string> = { reconnect: 'Reconnect', reload: 'Reload the page', home: 'Go to the home page' };
    button.hidden = view?.action == null;
    button.textContent = view?.action ? labels[view.action] : '';
  }

  private bannerClicked(): void {
    if (this.bannerAction === 'reload') location.reload();
    else if (this.bannerAction === 'home') location.assign('/');
    else if (this.bannerAction === 'reconnect') for (const c of this.lost.keys()) c.reconnect();
  }
}

/** Resolves once the console is no longer connecting, or after ms. */
function settled(console: XtermConsole, ms: number): Promise<void> {
  if (console.state !== 'connecting') return Promise.resolve();
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (console.state === 'connecting') return;
      done();
    });
    const timer = setTimeout(() => done(), ms);
    const done = () => {
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    };
    observer.observe(console.element, { attributes: true, attributeFilter: ['data-state'] });
  });
}

/**
 * Resolves once the console waits for a typed line (its text ends with a prompt: >>> or ...
 * of Python, or the shell's at state 'prompt'), or after ms. Watches the console's element,
 * which changes whenever it shows something new.
 */
function whenWaitingForLine(console: XtermConsole, ms: number): Promise<void> {
  const waiting = () => {
    const text = console.text();
    return text.endsWith('>>> ') || text.endsWith('... ') || (console.state === 'prompt' && text.endsWith('$ '));
  };
  if (waiting()) return Promise.resolve();
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (waiting()) done();
    });
    const timer = setTimeout(() => done(), ms);
    const done = () => {
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    };
    observer.observe(console.element, { attributes: true, childList: true, subtree: true, characterData: true });
  });
}

/** Shown when the code names no lab: the way on is a new lab or another code. */
function showNoSuchLab(root: HTMLElement, code: string): void {
  installHooks(code);
  root.innerHTML = `
<main class="message-page">
  <h1>Socket Lab</h1>
  <p>There is no lab with the code <strong class="missing-code"></strong>.</p>
  <p>Check the code with your partner or teacher, or <a href="/">start a new lab</a>.</p>
</main>`;
  root.querySelector('.missing-code')!.textContent = code;
  document.title = 'No such lab · Socket Lab';
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
  page.restoreEditor(file);
  page.restoreLesson();
  // A server that did not answer: the console says so and connects once it is back.
  const first = page.addConsole(run ? `run ${run}` : undefined);
  // With ?open=FILE the editor has the keys; otherwise the console.
  if (file === null) first.focus();
}
