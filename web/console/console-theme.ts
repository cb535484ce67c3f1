// The terminal's colours, light or dark: the page's chosen theme when it has one
// (document.documentElement.dataset.theme, announced by a 'socketlab:theme' event on window,
// web/page/page-theme.ts), else as the system prefers, switching live either way (a projector
// laptop set to dark mode at noon, say).
//
// Both palettes set all 16 ANSI colours so that what the consoles print in colour (the page's
// own notices in yellow, a program's escapes) stays readable: every colour a program may use
// for text has at least WCAG AA contrast (4.5:1) on its background (console-theme.test.ts);
// xterm.js's minimumContrastRatio (xterm-console.ts) covers the rest (text on coloured cells).

import type { ITheme } from '@xterm/xterm';

export type ConsoleThemeName = 'light' | 'dark';

/** WCAG AA for normal text. */
export const MIN_TEXT_CONTRAST = 4.5;

export const LIGHT_THEME: ITheme = {
  background: '#fbfbf9',
  foreground: '#1f2328',
  cursor: '#1f2328',
  cursorAccent: '#fbfbf9',
  selectionBackground: '#b6d6fd',
  black: '#24292f',
  red: '#c0221e',
  green: '#116329',
  yellow: '#7a4d00',
  blue: '#0757b8',
  magenta: '#7a3ec8',
  cyan: '#136a70',
  white: '#5b636e',
  brightBlack: '#57606a',
  brightRed: '#a40e26',
  brightGreen: '#1a6b32',
  brightYellow: '#633c01',
  brightBlue: '#0550ae',
  brightMagenta: '#6e3bb5',
  brightCyan: '#0f5e63',
  brightWhite: '#424a53',
};

export const DARK_THEME: ITheme = {
  background: '#15181d',
  foreground: '#e4e6ea',
  cursor: '#e4e6ea',
  cursorAccent: '#15181d',
  selectionBackground: '#264f78',
  black: '#8b949e',
  red: '#ff7b72',
  green: '#3fb950',
  yellow: '#e3b341',
  blue: '#58a6ff',
  magenta: '#bc8cff',
  cyan: '#39c5cf',
  white: '#b1bac4',
  brightBlack: '#9ba3ad',
  brightRed: '#ffa198',
  brightGreen: '#56d364',
  brightYellow: '#f2cc60',
  brightBlue: '#79c0ff',
  brightMagenta: '#d2a8ff',
  brightCyan: '#56d4dd',
  brightWhite: '#ffffff',
};

export const THEMES: Record<ConsoleThemeName, ITheme> = { light: LIGHT_THEME, dark: DARK_THEME };

const DARK_QUERY = '(prefers-color-scheme: dark)';
/** The page's theme changed (web/page/page-theme.ts dispatches it). */
const THEME_EVENT = 'socketlab:theme';

/** The page's chosen theme when it says one, else the system's. */
export function pickTheme(pageTheme: string | undefined, systemDark: boolean): ConsoleThemeName {
  if (pageTheme === 'light' || pageTheme === 'dark') return pageTheme;
  return systemDark ? 'dark' : 'light';
}

/** Calls apply(theme, name) now and whenever the page's theme or the system's preference changes; returns the remover. */
export function followColorScheme(apply: (theme: ITheme, name: ConsoleThemeName) => void): () => void {
  const query = typeof matchMedia === 'function' ? matchMedia(DARK_QUERY) : null;
  const update = () => {
    const name = pickTheme(typeof document === 'undefined' ? undefined : document.documentElement.dataset.theme, query?.matches ?? false);
    apply(THEMES[name], name);
  };
  update();
  query?.addEventListener('change', update);
  if (typeof window !== 'undefined') window.addEventListener(THEME_EVENT, update);
  return () => {
    query?.removeEventListener('change', update);
    if (typeof window !== 'undefined') window.removeEventListener(THEME_EVENT, update);
  };
}
