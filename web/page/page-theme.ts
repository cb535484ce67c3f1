// The page's theme: light, dark, or as the system prefers (the default). The choice is kept
// in localStorage; the theme in effect is document.documentElement.dataset.theme ('light' or
// 'dark'), which styles.css turns into the page's colours, and every change is announced as a
// 'socketlab:theme' event on window so that parts drawn by code (the consoles) can follow.

import { SafeStorage, type StorageLike } from '../common/safe-storage.ts';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

/** localStorage key; index.html's inline script reads it too, before the first paint. */
export const THEME_KEY = 'socketlab.theme';
export const THEME_EVENT = 'socketlab:theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

export interface ThemeEventDetail {
  theme: Theme;
  choice: ThemeChoice;
}

/** A stored value as a choice (anything else is the default, 'system'). */
export function parseThemeChoice(stored: string | null): ThemeChoice {
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

export function resolveTheme(choice: ThemeChoice, systemDark: boolean): Theme {
  if (choice === 'system') return systemDark ? 'dark' : 'light';
  return choice;
}

export interface PageTheme {
  readonly choice: ThemeChoice;
  readonly theme: Theme;
  choose(choice: ThemeChoice): void;
  dispose(): void;
}

/** Applies the stored choice now and follows the system while the choice is 'system'. */
export function installPageTheme(storage: StorageLike): PageTheme {
  const safe = new SafeStorage(storage);
  const query = typeof matchMedia === 'function' ? matchMedia(DARK_QUERY) : null;
  let choice = parseThemeChoice(safe.get(THEME_KEY));
  let theme: Theme = 'light';
  const apply = () => {
    const next = resolveTheme(choice, query?.matches ?? false);
    const changed = next !== theme || document.documentElement.dataset.theme !== next;
    theme = next;
    document.documentElement.dataset.theme = next;
    document.documentElement.dataset.themeChoice = choice;
    if (changed) window.dispatchEvent(new CustomEvent<ThemeEventDetail>(THEME_EVENT, { detail: { theme, choice } }));
  };
  apply();
  const onSystem = () => {
    if (choice === 'system') apply();
  };
  query?.addEventListener('change', onSystem);
  return {
    get choice() {
      return choice;
    },
    get theme() {
      return theme;
    },
    choose(next) {
      choice = next;
      safe.set(THEME_KEY, next); // not remembered: the theme still changes for this page
      apply();
    },
    dispose: () => query?.removeEventListener('change', onSystem),
  };
}
