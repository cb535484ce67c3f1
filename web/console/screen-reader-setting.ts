// The consoles' screen-reader mode (xterm.js's screenReaderMode: an accessible text tree a
// screen reader reads and announces output from), one setting for the whole page, remembered
// in localStorage. Each console's bar has a toggle; a page-level settings UI can call
// setScreenReaderMode() too. Every console follows a change at once (a 'socketlab:screen-reader'
// event on window).

export const SCREEN_READER_KEY = 'socketlab.screenReaderMode';
export const SCREEN_READER_EVENT = 'socketlab:screen-reader';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage blocked: the setting still works for this page
  }
}

let current: boolean | null = null;

export function screenReaderMode(): boolean {
  if (current === null) current = storage()?.getItem(SCREEN_READER_KEY) === 'on';
  return current;
}

export function setScreenReaderMode(on: boolean): void {
  current = on;
  try {
    storage()?.setItem(SCREEN_READER_KEY, on ? 'on' : 'off');
  } catch {
    // Not remembered; this page still follows.
  }
  window.dispatchEvent(new CustomEvent<boolean>(SCREEN_READER_EVENT, { detail: on }));
}

/** Calls apply(on) now and on every change; returns the remover. */
export function followScreenReaderMode(apply: (on: boolean) => void): () => void {
  const update = () => apply(screenReaderMode());
  update();
  window.addEventListener(SCREEN_READER_EVENT, update);
  return () => window.removeEventListener(SCREEN_READER_EVENT, update);
}
