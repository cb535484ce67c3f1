// The consoles' screen-reader mode (xterm.js's screenReaderMode: an accessible text tree a
// screen reader reads and announces output from), one setting for the whole page, remembered
// in localStorage. Each console's bar has a toggle; a page-level settings UI can call
// setScreenReaderMode() too. Every console follows a change at once (a 'socketlab:screen-reader'
// event on window).

import { openStorage, SafeStorage } from '../common/safe-storage.ts';

export const SCREEN_READER_KEY = 'socketlab.screenReaderMode';
export const SCREEN_READER_EVENT = 'socketlab:screen-reader';

/** localStorage, or none where it is blocked: the setting still works for this page. */
function storage(): SafeStorage {
  return new SafeStorage(openStorage(() => (typeof localStorage === 'undefined' ? null : localStorage)));
}

let current: boolean | null = null;

export function screenReaderMode(): boolean {
  if (current === null) current = storage().get(SCREEN_READER_KEY) === 'on';
  return current;
}

export function setScreenReaderMode(on: boolean): void {
  current = on;
  storage().set(SCREEN_READER_KEY, on ? 'on' : 'off'); // not remembered: this page still follows
  window.dispatchEvent(new CustomEvent<boolean>(SCREEN_READER_EVENT, { detail: on }));
}

/** Calls apply(on) now and on every change; returns the remover. */
export function followScreenReaderMode(apply: (on: boolean) => void): () => void {
  const update = () => apply(screenReaderMode());
  update();
  window.addEventListener(SCREEN_READER_EVENT, update);
  return () => window.removeEventListener(SCREEN_READER_EVENT, update);
}
