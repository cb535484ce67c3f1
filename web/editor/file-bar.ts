// The editor's file bar: the file to edit (a list of the device's files) and New, Rename and
// Delete, each asked in a row under the bar (a name to type, or "Delete NAME?" to confirm;
// Enter does it, Escape or Cancel drops it). What goes wrong (a bad name, a name taken, a full
// device) is said in the editor's message line, and the row stays for another try.

import { checkFileName, type DeviceFiles } from '../files/device-files.ts';
import { typedFileName, untitledName } from '../common/editor/file-bar-names.ts';

/** What the bar asks of the editor it sits in (python-editor.ts). */
export interface FileBarEditor {
  readonly files: DeviceFiles;
  /** The open file, or null when the device has none. */
  current(): string | null;
  /** Opens a file of the device (saving the one that was open). */
  openFile(name: string): void;
  /** Saves the open file now (before a question, so nothing typed waits behind it). */
  save(): void;
  /** Creates an empty file as the editor's own change. */
  createFile(name: string): void;
  /** Deletes a file, dropping what was not saved of it. */
  deleteFile(name: string): void;
  /** Redraws the bar and the editor's buttons after a change. */
  refresh(): void;
  /** Puts the keys back in the text. */
  focus(): void;
  showError(text: string): void;
  hideError(): void;
}

type Ask = { kind: 'new' } | { kind: 'rename'; name: string } | { kind: 'delete'; name: string };

export class FileBar {
  private readonly select: HTMLSelectElement;
  private readonly buttons: Record<'new' | 'rename' | 'delete', HTMLButtonElement>;
  private readonly askForm: HTMLFormElement;
  private readonly askInput: HTMLInputElement;
  private readonly askText: HTMLElement;
  private readonly askOk: HTMLButtonElement;
  private ask: Ask | null = null;
  private readonly listeners = new AbortController();

  /** Wires the bar's elements inside the editor's element (python-editor.ts's template). */
  constructor(
    element: HTMLElement,
    private readonly editor: FileBarEditor,
  ) {
    const $ = <T extends HTMLElement>(selector: string) => element.querySelector<T>(selector)!;
    this.select = $('.editor-file');
    this.buttons = { new: $('.editor-new'), rename: $('.editor-rename'), delete: $('.editor-delete') };
    this.askForm = $('.editor-ask');
    this.askInput = $('.editor-ask-name');
    this.askText = $('.editor-ask-text');
    this.askOk = $('.editor-ask-ok');
    const signal = this.listeners.signal;
    this.select.addEventListener('change', () => editor.openFile(this.select.value), { signal });
    this.buttons.new.addEventListener('click', () => this.start({ kind: 'new' }), { signal });
    this.buttons.rename.addEventListener('click', () => this.startAbout('rename'), { signal });
    this.buttons.delete.addEventListener('click', () => this.startAbout('delete'), { signal });
    this.askForm.addEventListener(
      'submit',
      (event) => {
        event.preventDefault();
        this.finish();
      },
      { signal },
    );
    $('.editor-ask-cancel').addEventListener('click', () => this.end(), { signal });
    this.askForm.addEventListener(
      'keydown',
      (event) => {
        if (event.key === 'Escape') this.end();
      },
      { signal },
    );
  }

  /** Shows the device's files with `current` picked, and what can be done to it. */
  refresh(current: string | null): void {
    const names = this.editor.files.list();
    const options = names.map((name) => {
      const option = document.createElement('option');
      option.value = name;
      option.textContent = name;
      return option;
    });
    if (names.length === 0) {
      const none = document.createElement('option');
      none.value = '';
      none.textContent = '(no files)';
      options.push(none);
    }
    this.select.replaceChildren(...options);
    this.select.value = current ?? '';
    this.select.disabled = names.length === 0;
    this.buttons.rename.disabled = current === null;
    this.buttons.delete.disabled = current === null;
  }

  /** Drops the question being asked, if any (the keys go back to the text if they were in it). */
  end(): void {
    if (!this.ask) return;
    const hadFocus = this.askForm.contains(document.activeElement);
    this.ask = null;
    this.askForm.hidden = true;
    if (hadFocus) this.editor.focus();
  }

  dispose(): void {
    this.listeners.abort();
  }

  private startAbout(kind: 'rename' | 'delete'): void {
    const name = this.editor.current();
    if (name) this.start({ kind, name });
  }

  private start(ask: Ask): void {
    this.editor.save();
    this.ask = ask;
    this.editor.hideError();
    this.askForm.dataset.kind = ask.kind;
    this.askInput.hidden = ask.kind === 'delete';
    if (ask.kind === 'new') {
      this.askText.textContent = 'New file:';
      this.askOk.textContent = 'Create';
      this.askInput.value = untitledName(this.editor.files.list());
    } else if (ask.kind === 'rename') {
      this.askText.textContent = `Rename ${ask.name} to:`;
      this.askOk.textContent = 'Rename';
      this.askInput.value = ask.name;
    } else {
      this.askText.textContent = `Delete ${ask.name}? This cannot be undone.`;
      this.askOk.textContent = 'Delete';
    }
    this.askOk.classList.toggle('danger', ask.kind === 'delete');
    this.askForm.hidden = false;
    if (ask.kind === 'delete') {
      this.askOk.focus();
    } else {
      this.askInput.focus();
      // The name without .py selected, ready to type over.
      this.askInput.setSelectionRange(0, Math.max(0, this.askInput.value.length - 3));
    }
  }

  private finish(): void {
    const ask = this.ask;
    if (!ask) return;
    const name = typedFileName(this.askInput.value);
    try {
      if (ask.kind === 'new') {
        checkFileName(name);
        if (this.editor.files.read(name) !== null) throw new Error(`${name} already exists`);
        this.editor.createFile(name);
        this.end();
        this.editor.openFile(name);
        this.editor.focus();
      } else if (ask.kind === 'rename') {
        if (name !== ask.name) {
          this.editor.files.rename(ask.name, name); // the editor's state follows the file
        }
        this.end();
        this.editor.refresh();
        this.editor.focus();
      } else {
        this.editor.deleteFile(ask.name); // the editor opens another file
        this.end();
      }
    } catch (err) {
      this.editor.showError(err instanceof Error ? capitalize(err.message) + '.' : String(err));
      this.askInput.focus();
    }
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
