// One console on the page: an xterm.js terminal and the console's bar, the thin adapter between
// xterm.js and the DOM on one side and the console's connection on the other
// (common/console/console-connection.ts: its bridge session, shell, line discipline and
// reconnecting, DOM-free and tested in Node). It writes what the connection writes, passes
// typed keys to it, and shows its state on the element (data-state, data-pid, ...); its text
// is in the connection's transcript, so tests read a console without scraping the canvas.
// Its bar also opens the console's wire view (wire-view.ts: what its programs' sockets sent
// and received) and turns the page's screen-reader mode on and off.

import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import './wire-view.css';
import type { Welcome } from '../../shared/bridge-protocol.ts';
import type { WebSocketLike } from '../common/bridge/bridge-session.ts';
import type { CloseExplanation } from '../common/bridge/close-reasons.ts';
import type { RetryTimer } from '../common/bridge/reconnector.ts';
import { ConsoleConnection, type ConsoleState, type ConsoleView } from '../common/console/console-connection.ts';
import type { DeviceFilesProvider } from '../common/console/shell.ts';
import type { WireTap } from '../common/net/wire-tap.ts';
import { builtinLauncher } from './builtin-launcher.ts';
import { followColorScheme, MIN_TEXT_CONTRAST } from './console-theme.ts';
import { followScreenReaderMode, screenReaderMode, setScreenReaderMode } from './screen-reader-setting.ts';
import type { WireView } from './wire-view.ts';
import { watchSize } from './resize-watch.ts';

export type { ConsoleState } from '../common/console/console-connection.ts';

/** Lines kept above the screen. */
const SCROLLBACK_LINES = 5000;
const FONT_SIZE_PX = 14;
/** A little more than 1: at 1.0 the DOM renderer clips underscores (basic_server read as basic server). */
const LINE_HEIGHT = 1.15;
const FONT_FAMILY = 'ui-monospace, "Cascadia Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace';
/** DECSET 45: Backspace may step back over a soft line wrap, so long lines erase cleanly. */
const REVERSE_WRAPAROUND_ON = '\x1b[?45h';

export interface ConsoleOptions {
  lab: string;
  deviceKey: string;
  /** ws(s)://host/ws?lab=CODE (web/page/page-route.ts bridgeUrl) */
  bridgeUrl: string;
  /** Typed at the first prompt and run (the page's ?run=NAME). */
  initialCommand?: string;
  /** The device's Python files, for `python FILE`. */
  files?: DeviceFilesProvider;
  /** Connected; again is true after a reconnect. */
  onWelcome?(welcome: Welcome, again: boolean): void;
  /** The bridge closed or could not open: why, and whether the console retries by itself. */
  onLost?(explanation: CloseExplanation): void;
  /** The user pressed the console's close button. */
  onCloseRequest?(): void;
  /** The retries' clock (tests); setTimeout otherwise. */
  retryTimer?: RetryTimer;
}

export class XtermConsole {
  readonly element: HTMLElement;
  private readonly term: Terminal;
  private readonly fit = new FitAddon();
  private readonly connection: ConsoleConnection;
  private readonly status: HTMLElement;
  private wireView: WireView | null = null;
  private readonly wireToggle: HTMLButtonElement;
  private readonly title: HTMLElement;
  private readonly disposers: (() => void)[] = [];

  constructor(
    parent: HTMLElement,
    private readonly options: ConsoleOptions,
  ) {
    this.element = document.createElement('section');
    this.element.className = 'console';
    this.element.innerHTML =
      '<header class="console-bar"><span class="console-title">Console</span>' +
      '<span class="console-status"></span>' +
      '<button type="button" class="console-toggle console-wire-toggle" aria-expanded="false" title="Show what this console\'s programs sent and received">Wire</button>' +
      '<button type="button" class="console-toggle console-reader-toggle" aria-pressed="false" title="Screen-reader mode for every console (Tab then leaves the terminal)">Screen reader</button>' +
      '<button type="button" class="console-close" title="Close this console" aria-label="Close this console">×</button></header>' +
      '<div class="console-screen"></div>';
    this.title = this.element.querySelector('.console-title')!;
    this.status = this.element.querySelector('.console-status')!;
    const screen = this.element.querySelector<HTMLElement>('.console-screen')!;
    const closeButton = this.element.querySelector<HTMLButtonElement>('.console-close')!;
    const onCloseClick = () => (options.onCloseRequest ? options.onCloseRequest() : this.close());
    closeButton.addEventListener('click', onCloseClick);
    this.disposers.push(() => closeButton.removeEventListener('click', onCloseClick));
    this.wireToggle = this.element.querySelector<HTMLButtonElement>('.console-wire-toggle')!;
    const onWireClick = () => void this.showWire(this.wireView?.element.hidden ?? true);
    this.wireToggle.addEventListener('click', onWireClick);
    this.disposers.push(() => this.wireToggle.removeEventListener('click', onWireClick));
    const readerToggle = this.element.querySelector<HTMLButtonElement>('.console-reader-toggle')!;
    const onReaderClick = () => setScreenReaderMode(!screenReaderMode());
    readerToggle.addEventListener('click', onReaderClick);
    this.disposers.push(() => readerToggle.removeEventListener('click', onReaderClick));
    parent.append(this.element);

    this.term = new Terminal({
      cursorBlink: true,
      fontSize: FONT_SIZE_PX,
      lineHeight: LINE_HEIGHT,
      fontFamily: FONT_FAMILY,
      scrollback: SCROLLBACK_LINES,
      // Text a program colours is adjusted to stay readable on whatever it is drawn on.
      minimumContrastRatio: MIN_TEXT_CONTRAST,
      screenReaderMode: screenReaderMode(),
    });
    this.term.loadAddon(this.fit);
    this.term.open(screen);
    this.term.write(REVERSE_WRAPAROUND_ON);
    this.disposers.push(
      followColorScheme((theme, name) => {
        this.term.options.theme = theme;
        this.element.dataset.consoleTheme = name;
      }),
    );
    this.disposers.push(
      followScreenReaderMode((on) => {
        this.term.options.screenReaderMode = on;
        readerToggle.setAttribute('aria-pressed', String(on));
        this.element.dataset.screenReader = on ? 'on' : 'off';
      }),
    );
    this.term.attachCustomKeyEventHandler((event) => this.browserKeepsKey(event));

    this.connection = new ConsoleConnection({
      lab: options.lab,
      deviceKey: options.deviceKey,
      // The DOM's WebSocket types its handlers with DOM events, WebSocketLike with unknown:
      // the same object at run time, but TypeScript cannot see that through the setters.
      openSocket: () => new WebSocket(options.bridgeUrl) as unknown as WebSocketLike,
      screen: {
        write: (text) => this.term.write(text),
        clear: () => this.term.clear(),
        show: (view) => this.show(view),
      },
      launcherFor: builtinLauncher,
      initialCommand: options.initialCommand,
      files: options.files,
      onWelcome: options.onWelcome,
      onLost: options.onLost,
      retryTimer: options.retryTimer,
    });
    const data = this.term.onData((keys) => this.connection.input(keys));
    this.disposers.push(() => data.dispose());
    this.disposers.push(watchSize(screen, () => this.refit()));
    this.refit();
    this.connection.start();
  }

  get state(): ConsoleState {
    return this.connection.state;
  }

  /** The shell's PID once connected. */
  get pid(): number | null {
    return this.connection.pid;
  }

  /** What this console's programs' sockets sent and received (kept across reconnects). */
  get wire(): WireTap {
    return this.connection.wire;
  }

  /** Everything this console has shown, as plain text ('\r' and erased typing removed). */
  text(): string {
    return this.connection.text();
  }

  /** What xterm.js holds in its buffer (scrollback and screen), soft-wrapped lines joined. */
  screenText(): string {
    const buffer = this.term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < buffer.length; y++) {
      const line = buffer.getLine(y);
      if (!line) continue;
      // Trimmed: spaces a Backspace left behind are cells xterm.js keeps but nobody sees.
      const text = line.translateToString(true).trimEnd();
      if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
      else lines.push(text);
    }
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n');
  }

  /** Keys as if typed (tests, and the page's ?run=NAME). */
  type(keys: string): void {
    this.connection.input(keys);
  }

  /** Why the connection ended, while it is not back (null when connected or connecting first). */
  get lostBecause(): CloseExplanation | null {
    return this.connection.lostBecause;
  }

  /** True while a retry is scheduled or under way (false: it waits for the student, or for nothing). */
  get retrying(): boolean {
    return this.connection.retrying;
  }

  /** While retrying by itself: the next attempt now (the tab came back to view, the network
   * came back), not when a background tab's throttled timer would let it. */
  retryNow(): void {
    this.connection.retryNow();
  }

  /** Connects again now (Enter in a console waiting for it, or the page's Reconnect button). */
  reconnect(): void {
    this.connection.reconnect();
  }

  focus(): void {
    this.term.focus();
  }

  /** Opens (or closes) the wire view under the terminal; its code loads on first use. */
  async showWire(open = true): Promise<WireView | null> {
    if (open && !this.wireView) {
      const { WireView } = await import('./wire-view.ts');
      if (this.state === 'closed') return null;
      this.wireView ??= new WireView(this.wire);
      this.element.append(this.wireView.element);
      this.wireToggle.setAttribute('aria-controls', this.wireView.element.id);
    }
    if (this.wireView) this.wireView.element.hidden = !open;
    this.wireToggle.setAttribute('aria-expanded', String(open));
    this.element.dataset.wire = open ? 'open' : 'closed';
    return this.wireView;
  }

  /** The wire view's lines as shown (its filter applied); empty while it was never opened. */
  wireText(): string {
    return this.wireView?.text() ?? '';
  }

  /** Ends the console: its programs stop and their sockets close (the server sees the WebSocket go). */
  close(): void {
    if (this.state === 'closed') return;
    this.connection.close();
    for (const dispose of this.disposers.splice(0).reverse()) dispose();
    this.wireView?.dispose();
    this.term.dispose();
    this.element.remove();
  }

  /** The connection's state on the element and in the bar. */
  private show(view: ConsoleView): void {
    const { dataset } = this.element;
    dataset.state = view.state;
    if (view.welcome) {
      dataset.pid = String(view.welcome.pid);
      dataset.console = String(view.welcome.console);
      dataset.address = view.welcome.device.address;
      this.title.textContent = `Console ${view.welcome.console}`;
    }
    if (view.program) {
      dataset.program = view.program.name;
      dataset.programPid = String(view.program.pid);
    } else {
      delete dataset.program;
      delete dataset.programPid;
    }
    this.status.textContent = view.status;
  }

  private refit(): void {
    // A console that is not laid out (hidden, zero size) has no dimensions to fit to.
    if (this.state === 'closed' || !this.fit.proposeDimensions()) return;
    this.fit.fit();
  }

  /** Keys the browser handles instead of the terminal: copy with a selection, and paste. */
  private browserKeepsKey(event: KeyboardEvent): boolean {
    if (event.type !== 'keydown') return true;
    const key = event.key.toLowerCase();
    const modifier = event.ctrlKey || event.metaKey;
    if (modifier && key === 'c' && this.term.hasSelection()) return false; // copy, not Ctrl-C
    if (modifier && key === 'v') return false; // the browser's paste event reaches xterm.js
    // No keyboard trap: Shift-Tab always leaves the terminal (back to its bar's buttons), and in
    // screen-reader mode Tab moves on too; otherwise Tab types a tab, as in a real terminal.
    if (key === 'tab' && !modifier && !event.altKey && (event.shiftKey || screenReaderMode())) return false;
    return true;
  }
}
