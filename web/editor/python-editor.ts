// The editor beside the consoles: the device's Python files (DeviceFiles), one open at a time
// in CodeMirror 6 (set up in python-code-setup.ts), with a bar to pick, make, rename and
// delete files (file-bar.ts) and a Run button that runs the open file in a console. Typing
// saves (debounced) and Run saves first; Ctrl-S saves at once (not the browser's Save
// dialog), Ctrl-Enter runs (Cmd on a Mac). Each file keeps its own undo history while the
// page is open. Loaded only when the editor is first opened (web/page/editor-pane.ts imports
// it dynamically): CodeMirror stays out of the first bundle.

import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { DeviceFiles, type FilesChange } from '../files/device-files.ts';
import { followEditorColorScheme, LIGHT_EDITOR_THEME } from './editor-theme.ts';
import { FileBar } from './file-bar.ts';
import { fromFiles, pythonCodeExtensions } from './python-code-setup.ts';

/** Quiet time after the last keystroke before the file is saved. */
export const SAVE_DELAY_MS = 400;

export interface PythonEditorOptions {
  files: DeviceFiles;
  /** Runs the file in a console (the lab page types `python NAME` into one). */
  run(fileName: string): void;
  /** The file to show first; otherwise the one open last time, otherwise the first. */
  initialFile?: string | null;
  /** Where the name of the open file is remembered across reloads. */
  remember?: { get(): string | null; set(name: string): void };
}

/** Saved: the file holds the editor's text; pending: a save is due; failed: it was refused. */
export type SaveState = 'saved' | 'pending' | 'failed';

// The bar's file list, New, Rename, Delete and the row they ask in are file-bar.ts's.
const TEMPLATE = `
<div class="editor-bar">
  <label class="editor-file-label"><span class="editor-file-word">File</span>
    <select class="editor-file" aria-label="File to edit"></select>
  </label>
  <button type="button" class="editor-new secondary" title="Make a new Python file">New</button>
  <button type="button" class="editor-rename secondary" title="Rename this file">Rename</button>
  <button type="button" class="editor-delete secondary" title="Delete this file">Delete</button>
  <span class="editor-status" aria-live="polite"></span>
  <button type="button" class="editor-run" title="Save and run this file in a console (Ctrl-Enter)">▶ Run</button>
</div>
<form class="editor-ask" autocomplete="off" hidden>
  <label class="editor-ask-label"><span class="editor-ask-text"></span>
    <input class="editor-ask-name" name="name" maxlength="64" spellcheck="false" autocapitalize="off" placeholder="name.py">
  </label>
  <button type="submit" class="editor-ask-ok"></button>
  <button type="button" class="editor-ask-cancel secondary">Cancel</button>
</form>
<p class="editor-error" role="alert" hidden></p>
<div class="editor-host"></div>
`;

function isMod(event: KeyboardEvent): boolean {
  return event.ctrlKey || event.metaKey;
}

export class PythonEditor {
  readonly element: HTMLElement;
  private readonly view: EditorView;
  private readonly bar: FileBar;
  private readonly status: HTMLElement;
  private readonly error: HTMLElement;
  private readonly runButton: HTMLButtonElement;
  private readonly theme = new Compartment();
  private currentTheme: Extension = LIGHT_EDITOR_THEME;
  /** Each file's editor state (its text, selection and undo history) since the page opened. */
  private readonly states = new Map<string, EditorState>();
  /** Files whose text in the editor is not (yet) in DeviceFiles. */
  private readonly unsaved = new Set<string>();
  private current: string | null = null;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private saveState: SaveState = 'saved';
  /** True while this editor writes to the files, so its own changes are not taken as news. */
  private writing = false;
  private readonly disposers: (() => void)[] = [];

  constructor(
    parent: HTMLElement,
    private readonly options: PythonEditorOptions,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'python-editor';
    this.element.innerHTML = TEMPLATE;
    parent.append(this.element);
    const $ = <T extends HTMLElement>(selector: string) => this.element.querySelector<T>(selector)!;
    this.status = $('.editor-status');
    this.error = $('.editor-error');
    this.runButton = $('.editor-run');

    this.view = new EditorView({ parent: $('.editor-host'), state: this.emptyState() });
    this.disposers.push(
      followEditorColorScheme((theme) => {
        this.currentTheme = theme;
        this.view.dispatch({ effects: this.theme.reconfigure(theme) });
      }),
    );

    this.bar = new FileBar(this.element, {
      files: this.options.files,
      current: () => this.current,
      openFile: (name) => this.openFile(name),
      save: () => this.save(),
      createFile: (name) => this.ownWrite(() => this.options.files.write(name, '')),
      deleteFile: (name) => {
        this.unsaved.delete(name);
        this.options.files.remove(name); // filesChanged opens another file
      },
      refresh: () => this.refreshList(),
      focus: () => this.view.focus(),
      showError: (text) => this.showError(text),
      hideError: () => this.hideError(),
    });
    this.disposers.push(() => this.bar.dispose());
    this.listen(this.runButton, 'click', () => this.run());
    // Capturing, before CodeMirror sees them: Mod-Enter would otherwise insert a line.
    this.listen(this.element, 'keydown', (event) => this.onKeyDown(event as KeyboardEvent), true);
    this.disposers.push(this.options.files.onChange((change) => this.filesChanged(change)));
    // A page that goes away mid-typing (reload, tab closed) saves what was typed.
    this.listen(window, 'pagehide', () => this.save());
    this.listen(document, 'visibilitychange', () => document.visibilityState === 'hidden' && this.save());

    const files = this.options.files.list();
    const wanted = [this.options.initialFile, this.options.remember?.get()].find((name) => name && files.includes(name));
    this.refreshList();
    const first = wanted ?? files[0] ?? null;
    if (first) this.openFile(first);
    else this.showNoFile();
  }

  /** The open file's name, or null when the device has no files. */
  get fileName(): string | null {
    return this.current;
  }

  get saveStatus(): SaveState {
    return this.saveState;
  }

  /** Opens a file of the device (saving the one that was open). Throws if there is none such. */
  open(name: string): void {
    if (this.options.files.read(name) === null) throw new Error(`there is no file ${JSON.stringify(name)} on this device`);
    this.openFile(name);
  }

  /** The text in the editor. */
  text(): string {
    return this.view.state.doc.toString();
  }

  /** Replaces the text as typing would (undoable, saved after the usual pause). */
  setText(text: string): void {
    if (this.current === null) throw new Error('no file is open');
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text }, userEvent: 'input.replace' });
  }

  /** Saves the open file now. False (and the reason shown) when the files refused it. */
  save(): boolean {
    this.clearSaveTimer();
    const name = this.current;
    if (name === null) return true;
    if (!this.unsaved.has(name)) return true;
    try {
      this.ownWrite(() => this.options.files.write(name, this.text()));
    } catch (err) {
      this.setSaveState('failed', err instanceof Error ? err.message : String(err));
      return false;
    }
    this.unsaved.delete(name);
    this.setSaveState('saved');
    return true;
  }

  /** Saves and runs the open file in a console. */
  run(): void {
    if (this.current === null) return this.showError('There is no file to run: make one with New.');
    if (!this.save()) return;
    this.options.run(this.current);
  }

  focus(): void {
    this.view.focus();
  }

  /** Shows a message under the bar until the next file opens. */
  notify(text: string): void {
    this.showError(text);
  }

  /** Saves, then takes the editor off the page. */
  destroy(): void {
    this.save();
    for (const dispose of this.disposers.splice(0).reverse()) dispose();
    this.view.destroy();
    this.element.remove();
  }

  // ---- files ----

  private openFile(name: string): void {
    if (name === this.current) return;
    this.save();
    this.bar.end();
    if (this.current !== null) this.states.set(this.current, this.view.state);
    const stored = this.options.files.read(name);
    if (stored === null) return;
    let state = this.states.get(name) ?? this.newState(stored);
    // Changed since it was last open here (another tab saved it): take the saved text, undoably.
    if (!this.unsaved.has(name) && state.doc.toString() !== stored) {
      state = state.update({ changes: { from: 0, to: state.doc.length, insert: stored }, annotations: fromFiles.of(true) }).state;
    }
    this.current = name;
    this.view.setState(state);
    this.view.dispatch({ effects: this.theme.reconfigure(this.currentTheme) });
    this.options.remember?.set(name);
    this.hideError();
    this.refreshList();
    this.setSaveState(this.unsaved.has(name) ? 'pending' : 'saved');
    if (this.unsaved.has(name)) this.scheduleSave();
  }

  private showNoFile(): void {
    if (this.current !== null) this.states.delete(this.current);
    this.current = null;
    this.view.setState(this.emptyState());
    this.view.dispatch({ effects: this.theme.reconfigure(this.currentTheme) });
    this.refreshList();
    this.setSaveState('saved');
  }

  private filesChanged(change: FilesChange): void {
    if (this.writing) return;
    if (change.type === 'rename') {
      const state = this.states.get(change.from);
      this.states.delete(change.from);
      if (state) this.states.set(change.to, state);
      if (this.unsaved.delete(change.from)) this.unsaved.add(change.to);
      if (this.current === change.from) {
        this.current = change.to;
        this.options.remember?.set(change.to);
      }
    }
    if (change.type === 'remove') {
      this.states.delete(change.name);
      this.unsaved.delete(change.name);
    }
    if (change.type === 'write' || change.type === 'external' || change.type === 'seed') {
      for (const name of [...this.states.keys()]) {
        if (name !== this.current && !this.unsaved.has(name) && this.options.files.read(name) === null) this.states.delete(name);
      }
    }
    const current = this.current;
    if (current !== null) {
      const stored = this.options.files.read(current);
      if (stored === null) {
        // Deleted elsewhere: show another file.
        this.unsaved.delete(current);
        this.states.delete(current);
        this.current = null;
        const next = this.options.files.list()[0];
        if (next) this.openFile(next);
        else this.showNoFile();
        return;
      }
      if (!this.unsaved.has(current) && stored !== this.text()) {
        this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: stored }, annotations: fromFiles.of(true) });
      }
    } else {
      const first = this.options.files.list()[0];
      if (first) return this.openFile(first);
    }
    this.refreshList();
  }

  private refreshList(): void {
    this.bar.refresh(this.current);
    this.runButton.disabled = this.current === null;
    this.element.dataset.file = this.current ?? '';
  }

  /** Writes to the files as this editor, so that its own change is not taken as news. */
  private ownWrite(write: () => void): void {
    this.writing = true;
    try {
      write();
    } finally {
      this.writing = false;
    }
  }

  // ---- saving ----

  private onDocChanged(fromOutside: boolean): void {
    const name = this.current;
    if (name === null || fromOutside) return;
    this.unsaved.add(name);
    this.setSaveState('pending');
    this.scheduleSave();
  }

  private scheduleSave(): void {
    this.clearSaveTimer();
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.save();
    }, SAVE_DELAY_MS);
  }

  private clearSaveTimer(): void {
    if (this.saveTimer !== null) clearTimeout(this.saveTimer);
    this.saveTimer = null;
  }

  private setSaveState(state: SaveState, message?: string): void {
    this.saveState = state;
    this.element.dataset.save = state;
    this.status.textContent = state === 'saved' ? (this.current ? 'Saved' : '') : state === 'pending' ? 'Editing…' : 'Not saved';
    if (state === 'failed') this.showError(`Not saved: ${message}.`, 'save');
    else if (this.error.dataset.kind === 'save') this.hideError();
  }

  /** Shows a message under the bar; a save error (kind 'save') goes once the file saves. */
  private showError(text: string, kind = 'other'): void {
    this.error.textContent = text;
    this.error.dataset.kind = kind;
    this.error.hidden = false;
  }

  private hideError(): void {
    this.error.hidden = true;
    this.error.textContent = '';
    delete this.error.dataset.kind;
  }

  // ---- CodeMirror ----

  private extensions(readOnly: boolean): Extension[] {
    return pythonCodeExtensions({ theme: this.theme.of(this.currentTheme), readOnly, onDocChanged: (fromOutside) => this.onDocChanged(fromOutside) });
  }

  private newState(doc: string): EditorState {
    return EditorState.create({ doc, extensions: this.extensions(false) });
  }

  private emptyState(): EditorState {
    return EditorState.create({ doc: '', extensions: this.extensions(true) });
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (!isMod(event) || event.altKey) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      event.stopPropagation();
      this.run();
    } else if (event.key.toLowerCase() === 's' && !event.shiftKey) {
      event.preventDefault();
      event.stopPropagation();
      if (this.current !== null) {
        this.unsaved.add(this.current); // Ctrl-S always writes, and says so
        this.save();
      }
    }
  }

  private listen(target: EventTarget, type: string, handler: (event: Event) => void, capture = false): void {
    target.addEventListener(type, handler, capture);
    this.disposers.push(() => target.removeEventListener(type, handler, capture));
  }
}
