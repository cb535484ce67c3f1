// The lab page's editor pane: the device's Python files in an editor beside the consoles,
// opened by the Editor button, at load when it was open last time, or for ?open=FILE. The
// editor (web/editor/python-editor.ts, with CodeMirror) is loaded the first time the pane
// opens: it is not in the first bundle. Its Run types `python FILE` into a console.

import type { PythonEditor } from '../editor/python-editor.ts';
import type { DeviceFiles } from '../files/device-files.ts';
import { SafeStorage } from '../common/safe-storage.ts';
import type { EditorHooks } from './test-hooks.ts';

/** Whether the editor pane was open, for the next page load (every lab alike). */
const EDITOR_OPEN_KEY = 'socketlab.editor.open';

export interface EditorPaneOptions {
  code: string;
  deviceKey: string;
  files: DeviceFiles;
  /** The page's storage: the pane remembers there whether it was open, and the open file. */
  storage: SafeStorage;
  /** Runs a device file in a console (the editor's Run). */
  run(fileName: string): void;
}

export class EditorPane {
  private editor: PythonEditor | null = null;
  private editorLoading: Promise<PythonEditor> | null = null;

  constructor(
    /** The pane (.editor-pane). */
    private readonly pane: HTMLElement,
    /** The Editor button (.toggle-editor). */
    private readonly toggle: HTMLButtonElement,
    /** The workspace (data-editor open or closed lays the page out). */
    private readonly workspace: HTMLElement,
    private readonly options: EditorPaneOptions,
  ) {
    toggle.addEventListener('click', () => {
      if (this.isOpen()) this.close();
      else void this.open().then((editor) => editor?.focus());
    });
  }

  /** Opens the pane at page load when it was open last time, or for ?open=FILE. */
  restore(file: string | null): void {
    if (file === null && this.options.storage.get(EDITOR_OPEN_KEY) !== '1') return;
    void this.open(file ?? undefined).then((editor) => {
      if (file !== null) editor?.focus();
    });
  }

  isOpen(): boolean {
    return !this.pane.hidden;
  }

  /** Shows the pane, loading the editor the first time; null if it could not be loaded. */
  async open(file?: string): Promise<PythonEditor | null> {
    this.show(true);
    let editor: PythonEditor;
    try {
      editor = await this.load();
    } catch {
      this.pane.textContent = 'The editor could not be loaded. Check the connection to the lab server and reload the page.';
      this.pane.classList.add('editor-failed');
      return null;
    }
    if (file !== undefined) {
      if (this.options.files.read(file) !== null) editor.open(file);
      else editor.notify(`There is no file ${file} on this device.`);
    }
    return editor;
  }

  close(): void {
    this.editor?.save();
    this.show(false);
  }

  /** Opens the editor on a device file, first making it from initialText when it is missing. */
  async openFile(name: string, initialText?: string): Promise<void> {
    if (this.options.files.read(name) === null) {
      try {
        this.options.files.write(name, initialText ?? '');
      } catch (err) {
        // A bad name or a full device: the editor says there is no such file, and this why.
        const editor = await this.open();
        editor?.notify(err instanceof Error ? err.message : String(err));
        return;
      }
    }
    const editor = await this.open(name);
    editor?.focus();
  }

  /** window.socketLab.editor (test-hooks.ts). */
  hooks(): EditorHooks {
    const loaded = () => {
      if (!this.editor) throw new Error('the editor is not loaded: call open() first');
      return this.editor;
    };
    return {
      open: async (name) => {
        const editor = await this.open(name);
        if (!editor) throw new Error('the editor could not be loaded');
        if (name !== undefined && editor.fileName !== name) throw new Error(`there is no file ${name} on this device`);
      },
      close: () => this.close(),
      isOpen: () => this.isOpen() && this.editor !== null,
      file: () => this.editor?.fileName ?? null,
      text: () => this.editor?.text() ?? null,
      setText: (text) => loaded().setText(text),
      save: () => loaded().save(),
      run: () => loaded().run(),
    };
  }

  private show(open: boolean): void {
    this.pane.hidden = !open;
    this.workspace.dataset.editor = open ? 'open' : 'closed';
    this.toggle.setAttribute('aria-pressed', String(open));
    this.options.storage.set(EDITOR_OPEN_KEY, open ? '1' : '0'); // not remembered: the pane still opens and closes
  }

  private load(): Promise<PythonEditor> {
    if (!this.editorLoading) {
      this.pane.classList.remove('editor-failed');
      this.pane.innerHTML = '<p class="editor-loading">Loading the editor…</p>';
      const { code, deviceKey, files, storage, run } = this.options;
      const rememberKey = `socketlab.editor.${code}.${deviceKey}.file`;
      this.editorLoading = import('../editor/python-editor.ts').then(
        ({ PythonEditor }) => {
          this.pane.replaceChildren();
          this.editor = new PythonEditor(this.pane, {
            files,
            run,
            // Not remembered: the first file opens next time.
            remember: { get: () => storage.get(rememberKey), set: (name) => void storage.set(rememberKey, name) },
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
}
