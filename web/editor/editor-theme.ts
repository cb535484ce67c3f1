// The editor's colours, light and dark, matching the page (web/styles.css) and the consoles
// (web/console/console-theme.ts): the same backgrounds and text, and syntax colours with
// enough contrast on each (GitHub's palettes, which are made for that). Which one follows the
// page's theme switch (or, without one, the system's preference), switching live.

import { EditorView } from '@codemirror/view';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import { tags as t } from '@lezer/highlight';
import { followColorScheme } from '../console/console-theme.ts';

const FONT_FAMILY = 'ui-monospace, "Cascadia Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace';

interface Palette {
  background: string;
  foreground: string;
  gutter: string;
  gutterText: string;
  activeLine: string;
  selection: string;
  cursor: string;
  matchingBracket: string;
  keyword: string;
  string: string;
  comment: string;
  number: string;
  functionName: string;
  className: string;
  constant: string;
  operator: string;
  invalid: string;
}

const LIGHT: Palette = {
  background: '#fbfbf9', // the console's
  foreground: '#1f2328',
  gutter: '#f3f4f6',
  gutterText: '#5b636e', // the page's --muted: 4.5:1 and more on the gutter (axe's colour-contrast)
  activeLine: '#eef1f5',
  selection: '#b6d6fd',
  cursor: '#1f2328',
  matchingBracket: '#c9e3c5',
  keyword: '#cf222e',
  string: '#0a3069',
  comment: '#5b636e',
  number: '#0550ae',
  functionName: '#8250df',
  className: '#953800',
  constant: '#0550ae',
  operator: '#1f2328',
  invalid: '#82071e',
};

const DARK: Palette = {
  background: '#15181d', // the console's
  foreground: '#e4e6ea',
  gutter: '#1b1f26',
  gutterText: '#8b949e',
  activeLine: '#1d2229',
  selection: '#264f78',
  cursor: '#e4e6ea',
  matchingBracket: '#2e4a33',
  keyword: '#ff7b72',
  string: '#a5d6ff',
  comment: '#8b949e',
  number: '#79c0ff',
  functionName: '#d2a8ff',
  className: '#ffa657',
  constant: '#79c0ff',
  operator: '#e4e6ea',
  invalid: '#ffa198',
};

function themeFor(p: Palette, dark: boolean): Extension {
  const view = EditorView.theme(
    {
      '&': { color: p.foreground, backgroundColor: p.background, height: '100%', fontSize: '14px' },
      '.cm-scroller': { fontFamily: FONT_FAMILY, lineHeight: '1.45' },
      '.cm-content': { caretColor: p.cursor },
      '.cm-cursor, .cm-dropCursor': { borderLeftColor: p.cursor, borderLeftWidth: '2px' },
      '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection':
        { backgroundColor: p.selection },
      '.cm-activeLine': { backgroundColor: p.activeLine },
      '.cm-gutters': { backgroundColor: p.gutter, color: p.gutterText, borderRight: `1px solid ${dark ? '#2f3540' : '#d4d8de'}` },
      '.cm-activeLineGutter': { backgroundColor: p.activeLine, color: p.foreground },
      '&.cm-focused .cm-matchingBracket': { backgroundColor: p.matchingBracket, outline: 'none' },
      '.cm-selectionMatch': { backgroundColor: dark ? '#2a3a4d' : '#dde9f7' },
      '.cm-placeholder': { color: p.gutterText, fontStyle: 'italic' },
      '.cm-tooltip': { backgroundColor: p.gutter, color: p.foreground, border: `1px solid ${dark ? '#2f3540' : '#d4d8de'}` },
      '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: p.selection, color: p.foreground },
      '.cm-panels': { backgroundColor: p.gutter, color: p.foreground },
      '.cm-panels input, .cm-panels button': { color: 'inherit' },
    },
    { dark },
  );
  const highlight = HighlightStyle.define(
    [
      { tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword, t.operatorKeyword], color: p.keyword },
      { tag: [t.string, t.special(t.string), t.regexp], color: p.string },
      { tag: [t.escape, t.special(t.brace)], color: p.constant },
      { tag: [t.comment, t.lineComment, t.blockComment], color: p.comment, fontStyle: 'italic' },
      { tag: [t.number, t.integer, t.float], color: p.number },
      { tag: [t.bool, t.null, t.atom, t.self, t.constant(t.name)], color: p.constant },
      { tag: [t.function(t.definition(t.variableName)), t.function(t.variableName), t.function(t.propertyName)], color: p.functionName },
      { tag: [t.className, t.definition(t.className), t.typeName], color: p.className },
      { tag: [t.operator, t.punctuation, t.bracket], color: p.operator },
      { tag: t.invalid, color: p.invalid },
    ],
    { themeType: dark ? 'dark' : 'light' },
  );
  return [view, syntaxHighlighting(highlight)];
}

export const LIGHT_EDITOR_THEME = themeFor(LIGHT, false);
export const DARK_EDITOR_THEME = themeFor(DARK, true);

/**
 * Calls apply(theme) now and whenever the page's theme switch or the system's preference
 * changes (the same choice as the consoles'); returns the remover.
 */
export function followEditorColorScheme(apply: (theme: Extension) => void): () => void {
  return followColorScheme((_consoleTheme, name) => apply(name === 'dark' ? DARK_EDITOR_THEME : LIGHT_EDITOR_THEME));
}
