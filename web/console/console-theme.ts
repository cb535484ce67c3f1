// The terminal's colours, light or dark as the system prefers, switching live when the
// system does (a projector laptop set to dark mode at noon, say).

import type { ITheme } from '@xterm/xterm';

export const LIGHT_THEME: ITheme = {
  background: '#fbfbf9',
  foreground: '#1f2328',
  cursor: '#1f2328',
  cursorAccent: '#fbfbf9',
  selectionBackground: '#b6d6fd',
};

export const DARK_THEME: ITheme = {
  background: '#15181d',
  foreground: '#e4e6ea',
  cursor: '#e4e6ea',
  cursorAccent: '#15181d',
  selectionBackground: '#264f78',
};

const DARK_QUERY = '(prefers-color-scheme: dark)';

/** Calls apply(theme) now and whenever the preference changes; returns the remover. */
export function followColorScheme(apply: (theme: ITheme) => void): () => void {
  if (typeof matchMedia !== 'function') {
    apply(LIGHT_THEME);
    return () => {};
  }
  const query = matchMedia(DARK_QUERY);
  const update = () => apply(query.matches ? DARK_THEME : LIGHT_THEME);
  update();
  query.addEventListener('change', update);
  return () => query.removeEventListener('change', update);
}
