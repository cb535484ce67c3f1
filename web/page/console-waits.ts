// Waiting for a console to be ready, by watching its element (which changes whenever the
// console shows something new or changes state: data-state), never by polling.

import { waitsForLine } from '../common/console/waiting-for-line.ts';
import type { XtermConsole } from '../console/xterm-console.ts';

/** Resolves once the console is no longer connecting, or after ms. */
export function whenSettled(console: XtermConsole, ms: number): Promise<void> {
  return whenTrue(console.element, { attributes: true, attributeFilter: ['data-state'] }, () => console.state !== 'connecting', ms);
}

/**
 * Resolves once the console waits for a typed line (its text ends with a prompt: >>> or ...
 * of Python, or the shell's at state 'prompt'), or after ms.
 */
export function whenWaitingForLine(console: XtermConsole, ms: number): Promise<void> {
  const waiting = () => waitsForLine(console.text(), console.state === 'prompt');
  return whenTrue(console.element, { attributes: true, childList: true, subtree: true, characterData: true }, waiting, ms);
}

/** Resolves once ready() is true, checked now and after each change to element, or after ms. */
function whenTrue(element: Element, watch: MutationObserverInit, ready: () => boolean, ms: number): Promise<void> {
  if (ready()) return Promise.resolve();
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (ready()) done();
    });
    const timer = setTimeout(() => done(), ms);
    function done(): void {
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    }
    observer.observe(element, watch);
  });
}
