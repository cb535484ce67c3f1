// The lab page's consoles, side by side in screen order (two a row, more wrap: styles.css by
// data-count), each its own process on this device. The list is the page's; the test hooks
// read it (window.socketLab.consoles). It remembers the console the student was last in,
// where the editor's Run and the lesson's buttons type (console-driver.ts).

import type { Welcome } from '../../shared/bridge-protocol.ts';
import type { CloseExplanation } from '../common/bridge/close-reasons.ts';
import { XtermConsole, type ConsoleOptions } from '../console/xterm-console.ts';

export interface ConsoleListOptions {
  /** What every console connects with (the lab, the device key, the bridge, the files). */
  console: Pick<ConsoleOptions, 'lab' | 'deviceKey' | 'bridgeUrl' | 'files'>;
  /** A console connected (again). */
  onWelcome(console: XtermConsole, welcome: Welcome): void;
  /** A console lost its connection: why. */
  onLost(console: XtermConsole, explanation: CloseExplanation): void;
  /** A console was closed and taken off the page. */
  onRemoved(console: XtermConsole): void;
}

export class ConsoleList {
  private readonly consoles: XtermConsole[] = [];
  private lastFocused: XtermConsole | null = null;

  constructor(
    /** Where the consoles go (.consoles). */
    private readonly area: HTMLElement,
    /** Says that no console is open, with a button to open one (.no-consoles). */
    private readonly noConsoles: HTMLElement,
    private readonly options: ConsoleListOptions,
  ) {
    area.addEventListener('focusin', (event) => {
      const element = (event.target as Element).closest('.console');
      this.lastFocused = this.consoles.find((c) => c.element === element) ?? this.lastFocused;
    });
  }

  /** The open consoles in screen order (this array, kept up to date: the test hooks hold it). */
  get all(): readonly XtermConsole[] {
    return this.consoles;
  }

  /** The console the student was last in, if it is still open. */
  get current(): XtermConsole | null {
    return this.lastFocused;
  }

  /** Opens a console after the others; initialCommand is typed at its first prompt. */
  add(initialCommand?: string): XtermConsole {
    const opened: XtermConsole = new XtermConsole(this.area, {
      ...this.options.console,
      initialCommand,
      onWelcome: (welcome) => this.options.onWelcome(opened, welcome),
      onLost: (explanation) => this.options.onLost(opened, explanation),
      onCloseRequest: () => this.remove(opened),
    });
    this.consoles.push(opened);
    this.layoutChanged();
    return opened;
  }

  private remove(closing: XtermConsole): void {
    closing.close();
    const at = this.consoles.indexOf(closing);
    if (at >= 0) this.consoles.splice(at, 1);
    if (this.lastFocused === closing) this.lastFocused = null;
    this.options.onRemoved(closing);
    this.layoutChanged();
  }

  private layoutChanged(): void {
    const count = this.consoles.length;
    this.area.dataset.count = String(count);
    this.noConsoles.hidden = count > 0;
  }
}
