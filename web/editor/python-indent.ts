// Tab in the editor, the way Python wants it: spaces to the next multiple of four columns at
// the cursor, or, with a selection, the selected lines indented by four (Shift-Tab takes four
// away). State commands that touch no DOM node, so Node tests run them on an EditorState; it
// stays beside the editor because @codemirror/commands's types need the DOM lib.

import { EditorSelection, countColumn, type StateCommand } from '@codemirror/state';
import { indentLess, indentMore } from '@codemirror/commands';

/** One indentation level, as PEP 8 and the worksheet's programs have it. */
export const INDENT = '    ';
export const TAB_SIZE = INDENT.length;

/** Tab: to the next tab stop with spaces where nothing is selected; indents selected lines. */
export const indentOrInsertSpaces: StateCommand = ({ state, dispatch }) => {
  if (state.readOnly) return false;
  if (state.selection.ranges.some((range) => !range.empty)) return indentMore({ state, dispatch });
  const spec = state.changeByRange((range) => {
    const line = state.doc.lineAt(range.head);
    const column = countColumn(line.text.slice(0, range.head - line.from), TAB_SIZE);
    const spaces = ' '.repeat(TAB_SIZE - (column % TAB_SIZE));
    return { changes: { from: range.head, insert: spaces }, range: EditorSelection.cursor(range.head + spaces.length) };
  });
  dispatch(state.update(spec, { scrollIntoView: true, userEvent: 'input.indent' }));
  return true;
};

/** Shift-Tab: the lines under the cursor or selection lose one level. */
export const dedent: StateCommand = indentLess;
