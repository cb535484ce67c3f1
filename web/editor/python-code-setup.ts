// The CodeMirror 6 set-up of the Python editor (python-editor.ts): basicSetup less lint, Python
// with four-space indents (python-indent.ts), the page's theme, and read-only with a hint
// when the device has no file to show.

import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { python } from '@codemirror/lang-python';
import { bracketMatching, foldGutter, foldKeymap, indentOnInput, indentUnit } from '@codemirror/language';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { Annotation, EditorState, Prec, type Extension } from '@codemirror/state';
import {
  EditorView,
  drawSelection,
  dropCursor,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  placeholder,
} from '@codemirror/view';
import { INDENT, TAB_SIZE, dedent, indentOrInsertSpaces } from './python-indent.ts';

/**
 * CodeMirror's basicSetup, less lint (nothing to lint with) and with completions only on
 * Ctrl-Space: a list that opens by itself takes the Enter a beginner meant as a new line.
 */
const SETUP: Extension = [
  lineNumbers(),
  highlightActiveLineGutter(),
  highlightSpecialChars(),
  history(),
  foldGutter(),
  drawSelection(),
  dropCursor(),
  indentOnInput(),
  bracketMatching(),
  closeBrackets(),
  autocompletion({ activateOnTyping: false }),
  highlightActiveLine(),
  highlightSelectionMatches(),
  keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap, ...completionKeymap]),
];

/** Marks a change that came from the files (another tab), not from typing. */
export const fromFiles = Annotation.define<boolean>();

export interface PythonCodeOptions {
  /** The theme, in the editor's compartment (it follows the page's). */
  theme: Extension;
  /** No file is open: nothing to type into. */
  readOnly: boolean;
  /** The text changed; fromOutside when every change came from the files (fromFiles). */
  onDocChanged(fromOutside: boolean): void;
}

export function pythonCodeExtensions(options: PythonCodeOptions): Extension[] {
  return [
    SETUP,
    python(),
    indentUnit.of(INDENT),
    EditorState.tabSize.of(TAB_SIZE),
    Prec.high(keymap.of([{ key: 'Tab', run: indentOrInsertSpaces, shift: dedent }])),
    options.theme,
    EditorView.contentAttributes.of({ 'aria-label': 'Python code', spellcheck: 'false', autocapitalize: 'off' }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) options.onDocChanged(update.transactions.every((tr) => tr.annotation(fromFiles)));
    }),
    ...(options.readOnly
      ? [EditorState.readOnly.of(true), EditorView.editable.of(false), placeholder('This device has no Python files yet: press New to make one.')]
      : []),
  ];
}
