// What browser tests read: window.socketLab.consoles[i] is the i-th open console on the page
// (in screen order), with text() for everything it has shown, screenText() for xterm.js's own
// buffer, type(keys) to type into it, state and pid; its element carries data-state,
// data-pid, data-console, data-address and, while a program runs, data-program and
// data-program-pid.

import type { XtermConsole } from '../console/xterm-console.ts';

export interface SocketLabHooks {
  /** The lab's code; null on pages that are not a lab. */
  lab: string | null;
  /** This device's lab address once the first console is connected. */
  address: string | null;
  consoles: XtermConsole[];
  /** 'ok', or 'server-gone' once the lab server has gone away. */
  server: 'ok' | 'server-gone';
}

declare global {
  interface Window {
    socketLab?: SocketLabHooks;
  }
}

export function installHooks(lab: string | null): SocketLabHooks {
  const hooks: SocketLabHooks = { lab, address: null, consoles: [], server: 'ok' };
  window.socketLab = hooks;
  return hooks;
}
