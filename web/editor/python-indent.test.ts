import { test } from 'vitest';
import assert from 'node:assert/strict';
import { EditorSelection, EditorState, type Transaction } from '@codemirror/state';
import { indentUnit } from '@codemirror/language';
import { INDENT, TAB_SIZE, dedent, indentOrInsertSpaces } from './python-indent.ts';

function stateWith(doc: string, selection: EditorSelection): EditorState {
  return EditorState.create({ doc, selection, extensions: [indentUnit.of(INDENT), EditorState.tabSize.of(TAB_SIZE)] });
}

function apply(command: typeof indentOrInsertSpaces, state: EditorState): EditorState {
  let next = state;
  const ran = command({ state, dispatch: (tr: Transaction) => (next = tr.state) });
  assert.ok(ran);
  return next;
}

test('Tab at the cursor adds spaces up to the next multiple of four', () => {
  let state = stateWith('if x:\n', EditorSelection.single(6));
  state = apply(indentOrInsertSpaces, state);
  assert.equal(state.doc.toString(), 'if x:\n    ');
  assert.equal(state.selection.main.head, 10);
  state = stateWith('ab', EditorSelection.single(2));
  assert.equal(apply(indentOrInsertSpaces, state).doc.toString(), 'ab  ');
  state = stateWith('abcd', EditorSelection.single(4));
  assert.equal(apply(indentOrInsertSpaces, state).doc.toString(), 'abcd    ');
});

test('Tab with a selection indents the selected lines by four; Shift-Tab takes four away', () => {
  let state = stateWith('a = 1\nb = 2\nc = 3', EditorSelection.single(0, 8));
  state = apply(indentOrInsertSpaces, state);
  assert.equal(state.doc.toString(), '    a = 1\n    b = 2\nc = 3');
  state = apply(dedent, state);
  assert.equal(state.doc.toString(), 'a = 1\nb = 2\nc = 3');
});

test('Tab does nothing to a read-only editor', () => {
  const state = EditorState.create({ doc: 'x', extensions: [EditorState.readOnly.of(true)] });
  assert.equal(indentOrInsertSpaces({ state, dispatch: () => assert.fail('changed a read-only document') }), false);
});
