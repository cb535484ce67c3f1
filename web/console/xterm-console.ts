// One console on the page: an xterm.js terminal wired to a line discipline, its own bridge
// session (one WebSocket per console, so one process with a PID on the device) and a shell.
// This is the thin, DOM-bound adapter; the behaviour lives in the DOM-free pieces it joins.
// Its state is on the element (data-state, data-pid, ...) and its text in a transcript, so
// tests read a console without scraping the terminal's canvas.
// When the bridge closes, the console says why (bridge/close-reasons.ts); after a restart or a
// cut line it reconnects by itself with backoff (bridge/reconnector.ts) to the same device,
// and a fresh shell takes over the same terminal: the programs that ran have ended.
// Its bar also opens the console's wire view (wire-view.ts: what its programs' sockets sent
// and received) and turns the page's screen-reader mode on and off.

import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import './wire-view.css';
import type { Welcome } from '../../shared/bridge-protocol.ts';
import { BridgeClosedError, BridgeSession, type WebSocketLike } from '../common/bridge/bridge-session.ts';
import { closeLine, explainClose, type CloseExplanation } from '../common/bridge/close-reasons.ts';
import { Reconnector, type RetryTimer } from '../common/bridge/reconnector.ts';
import { builtinLauncher } from './builtin-launcher.ts';
import { attachWireTap, WireTap } from '../common/net/wire-tap.ts';
import { followColorScheme, MIN_TEXT_CONTRAST } from './console-theme.ts';
import { followScreenReaderMode, screenReaderMode, setScreenReaderMode } from './screen-reader-setting.ts';
import type { WireView } from './wire-view.ts';
import { LineDiscipline } from '../common/console/line-discipline.ts';
import { watchSize } from './resize-watch.ts';
import { Shell, type DeviceFilesProvider, type ShellStatus } from '../common/console/shell.ts';
import { Transcript } from '../common/console/transcript.ts';

/** Lines kept above the screen. */
const SCROLLBACK_LINES = 5000;
const FONT_SIZE_PX = 14;
/** A little more than 1: at 1.0 the DOM renderer clips underscores (basic_server read as basic server). */
const LINE_HEIGHT = 1.15;
const FONT_FAMILY = 'ui-monospace, "Cascadia Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace';
/** DECSET 45: Backspace may step back over a soft line wrap, so long lines erase cleanly. */
const REVERSE_WRAPAROUND_ON = '\x1b[?45h';
/** DECTCEM off: a console that takes no more input shows no cursor. */
const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';
/** The page's own lines (the server went away, reconnected, a notice) in yellow, then back. */
const PAGE_LINE_START = '\x1b[33m';
const PAGE_LINE_END = '\x1b[0m';

/**
 * connecting, then the shell's states; reconnecting while it retries by itself after the
 * server went away; disconnected when it waits for the student (Enter) or for nothing.
 */
export type ConsoleState = 'connecting' | ShellStatus['state'] | 'reconnecting' | 'disconnected' | 'closed';

export interface ConsoleOptions {
  lab: string;
  deviceKey: string;
  /** ws(s)://host/ws */
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

/** What an error from opening the bridge means; a failure that is not the bridge's is retried. */
function explainError(err: unknown): CloseExplanation {
  return err instanceof BridgeClosedError ? explainClose(err.closeCode, err.message) : explainClose(null);
}

/** A console without a device file store (the lab page always gives one). */
const noFiles: DeviceFilesProvider = () => ({});

export class XtermConsole {
  readonly element: HTMLElement;
  private readonly term: Terminal;
  private readonly fit = new FitAddon();
  private readonly transcript = new Transcript();
  private readonly discipline: LineDiscipline;
  private readonly status: HTMLElement;
  /** What this console's programs' sockets sent and received (kept across reconnects). */
  readonly wire = new WireTap();
  private wireView: WireView | null = null;
  private readonly wireToggle: HTMLButtonElement;
  private readonly title: HTMLElement;
  private readonly disposers: (() => void)[] = [];
  /** Listeners of the current session and shell, removed when that connection ends. */
  private connectionDisposers: (() => void)[] = [];
  private readonly reconnector: Reconnector<BridgeSession>;
  private session: BridgeSession | null = null;
  private shell: Shell | null = null;
  private currentState: ConsoleState = 'connecting';
  /** Why the last connection ended, until the next one is made. */
  private lost: CloseExplanation | null = null;
  private connections = 0;

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

    this.discipline = new LineDiscipline((text) => {
      // A program may still print its last words after the console closed (EOFError...).
      if (this.currentState === 'closed') return;
      this.transcript.append(text);
      this.term.write(text);
    });
    const data = this.term.onData((keys) => this.keys(keys));
    this.disposers.push(() => data.dispose());
    this.disposers.push(watchSize(screen, () => this.refit()));
    this.refit();
    this.reconnector = new Reconnector({
      connect: () => this.openSession(),
      shouldRetry: (err) => explainError(err).policy === 'auto',
      onConnected: (session) => this.attach(session),
      onGaveUp: (err) => this.connectionLost(explainError(err)),
      discard: (session) => session.close(),
      // A first connection, or one the student asked for, that finds no server: from now on
      // it is like a restart, and the console says so once.
      onWaiting: () => {
        if (this.lost?.policy !== 'auto') this.connectionLost(explainClose(null));
      },
      timer: options.retryTimer,
    });
    this.disposers.push(() => this.reconnector.stop());
    this.setState('connecting');
    this.reconnector.tryNow();
  }

  get state(): ConsoleState {
    return this.currentState;
  }

  /** The shell's PID once connected. */
  get pid(): number | null {
    return this.session?.welcome.pid ?? null;
  }

  /** Everything this console has shown, as plain text ('\r' and erased typing removed). */
  text(): string {
    return this.transcript.text();
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
    this.keys(keys);
  }

  /** Why the connection ended, while it is not back (null when connected or connecting first). */
  get lostBecause(): CloseExplanation | null {
    return this.lost;
  }

  /** True while a retry is scheduled or under way (false: it waits for the student, or for nothing). */
  get retrying(): boolean {
    return this.reconnector.active;
  }

  /** While retrying by itself: the next attempt now (the tab came back to view, the network
   * came back), not when a background tab's throttled timer would let it. */
  retryNow(): void {
    if (this.currentState === 'reconnecting' && this.lost?.policy === 'auto') this.reconnector.tryNow();
  }

  /** Connects again now (Enter in a console waiting for it, or the page's Reconnect button). */
  reconnect(): void {
    if (this.currentState !== 'disconnected' || this.lost?.policy !== 'on-request') return;
    this.setState('reconnecting');
    this.writePageLine('Reconnecting…');
    this.reconnector.tryNow();
  }

  /**
   * Typed keys: the shell's or the program's while connected (and, typed ahead, while the
   * first connection is made); while the connection is lost only Enter means something.
   */
  private keys(keys: string): void {
    if (this.currentState === 'disconnected') {
      if (/[\r\n]/.test(keys)) this.reconnect();
      return;
    }
    if (this.currentState === 'reconnecting' || this.currentState === 'closed') return;
    this.discipline.input(keys);
  }

  focus(): void {
    this.term.focus();
  }

  /** Opens (or closes) the wire view under the terminal; its code loads on first use. */
  async showWire(open = true): Promise<WireView | null> {
    if (open && !this.wireView) {
      const { WireView } = await import('./wire-view.ts');
      if (this.currentState === 'closed') return null;
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
    if (this.currentState === 'closed') return;
    this.setState('closed');
    this.reconnector.stop();
    this.shell?.stop();
    this.discipline.close();
    this.session?.close();
    for (const dispose of this.connectionDisposers.splice(0).reverse()) dispose();
    for (const dispose of this.disposers.splice(0).reverse()) dispose();
    this.wireView?.dispose();
    this.term.dispose();
    this.element.remove();
  }

  /** One attempt to open the console's bridge session (the reconnector calls it). */
  private openSession(): Promise<BridgeSession> {
    const { lab, deviceKey, bridgeUrl } = this.options;
    // The DOM's WebSocket types its handlers with DOM events, WebSocketLike with unknown:
    // the same object at run time, but TypeScript cannot see that through the setters.
    const ws = new WebSocket(bridgeUrl) as unknown as WebSocketLike;
    return BridgeSession.open(ws, lab, deviceKey);
  }

  /** A session is open (the first, or after a reconnect): a fresh shell takes the terminal. */
  private attach(session: BridgeSession): void {
    if (this.currentState === 'closed') {
      session.close(); // closed while connecting
      return;
    }
    const again = this.connections > 0;
    this.connections++;
    this.session = session;
    attachWireTap(session, this.wire);
    this.lost = null;
    this.setState('connecting'); // the new shell's states show from here on
    const { welcome } = session;
    this.element.dataset.pid = String(welcome.pid);
    this.element.dataset.console = String(welcome.console);
    this.element.dataset.address = welcome.device.address;
    this.title.textContent = `Console ${welcome.console}`;
    this.connectionDisposers.push(session.onClose((reason) => this.sessionClosed(session, reason)));
    this.options.onWelcome?.(welcome, again);
    if (again) {
      this.term.write(SHOW_CURSOR);
      this.writePageLine('Reconnected: programs that were running have ended.');
    }

    const shell = new Shell({
      session,
      terminal: this.discipline,
      launcher: builtinLauncher(session),
      files: this.options.files ?? noFiles,
      clear: () => this.term.clear(),
    });
    this.shell = shell;
    // A limit reached, a message refused: said in the console, above the line being typed.
    this.connectionDisposers.push(session.onNotice((notice) => shell.notice(`${PAGE_LINE_START}lab server: ${notice.msg}${PAGE_LINE_END}`)));
    this.connectionDisposers.push(shell.onStateChange((status) => this.showShellStatus(status)));
    void shell.start(); // writes the first prompt before it returns to here
    if (!again && this.options.initialCommand) this.discipline.input(this.options.initialCommand + '\r');
  }

  /** The server closed this session (or the line was cut): the shell and its programs end. */
  private sessionClosed(session: BridgeSession, reason: string): void {
    if (this.currentState === 'closed' || session !== this.session) return;
    this.shell?.stop();
    this.shell = null;
    for (const dispose of this.connectionDisposers.splice(0).reverse()) dispose();
    // A program waiting for a typed line (input()) ends with the bridge's error, as its
    // sockets do; lines typed ahead for it are dropped, not run by the next shell.
    this.discipline.cancelReaders(new BridgeClosedError(reason, session.closeCode));
    delete this.element.dataset.program;
    delete this.element.dataset.programPid;
    this.connectionLost(explainClose(session.closeCode, reason));
  }

  /** Says why the connection is gone, and retries by itself or waits, as the reason calls for. */
  private connectionLost(explanation: CloseExplanation): void {
    if (this.currentState === 'closed') return;
    this.lost = explanation;
    const retrying = explanation.policy === 'auto';
    this.setState(retrying ? 'reconnecting' : 'disconnected');
    // After the running program's last words (they come in this same turn of the event loop).
    setTimeout(() => {
      if (this.currentState === 'closed' || this.lost !== explanation) return;
      this.writePageLine(closeLine(explanation));
      if (explanation.policy !== 'on-request') this.term.write(HIDE_CURSOR);
    }, 0);
    if (retrying) this.reconnector.start();
    this.options.onLost?.(explanation);
  }

  /** A line of the page's own, on a line of its own. */
  private writePageLine(text: string): void {
    const lead = this.discipline.atLineStart ? '' : '\n';
    this.discipline.write(`${lead}${PAGE_LINE_START}[${text}]${PAGE_LINE_END}\n`);
  }

  private showShellStatus(status: ShellStatus): void {
    if (this.currentState === 'closed' || this.currentState === 'disconnected' || this.currentState === 'reconnecting') return;
    if (status.program) {
      this.element.dataset.program = status.program.name;
      this.element.dataset.programPid = String(status.program.pid);
    } else {
      delete this.element.dataset.program;
      delete this.element.dataset.programPid;
    }
    this.setState(status.state);
  }

  private setState(state: ConsoleState): void {
    this.currentState = state;
    this.element.dataset.state = state;
    const pid = this.pid === null ? '' : `shell PID ${this.pid}`;
    const program = this.element.dataset.program;
    const texts: Record<ConsoleState, string> = {
      connecting: 'connecting…',
      prompt: pid,
      busy: pid,
      running: program ? `running ${program} (PID ${this.element.dataset.programPid}) · Ctrl-C stops it` : pid,
      stopped: 'disconnected',
      reconnecting: 'the lab server went away · reconnecting…',
      disconnected: this.lost ? `disconnected: ${this.lost.what}` : 'disconnected',
      closed: 'closed',
    };
    this.status.textContent = texts[state];
  }

  private refit(): void {
    // A console that is not laid out (hidden, zero size) has no dimensions to fit to.
    if (this.currentState === 'closed' || !this.fit.proposeDimensions()) return;
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
