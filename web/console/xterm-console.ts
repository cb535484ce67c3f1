// One console on the page: an xterm.js terminal wired to a line discipline, its own bridge
// session (one WebSocket per console, so one process with a PID on the device) and a shell.
// This is the thin, DOM-bound adapter; the behaviour lives in the DOM-free pieces it joins.
// Its state is on the element (data-state, data-pid, ...) and its text in a transcript, so
// tests read a console without scraping the terminal's canvas.

import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import type { Welcome } from '../../shared/bridge-protocol.ts';
import { BridgeSession, type WebSocketLike } from '../bridge/bridge-session.ts';
import { builtinLauncher } from './builtin-launcher.ts';
import { followColorScheme } from './console-theme.ts';
import { LineDiscipline } from './line-discipline.ts';
import { watchSize } from './resize-watch.ts';
import { Shell, type DeviceFilesProvider, type ShellStatus } from './shell.ts';
import { Transcript } from './transcript.ts';

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

/** connecting, then the shell's states; disconnected when the server went away. */
export type ConsoleState = 'connecting' | ShellStatus['state'] | 'failed' | 'disconnected' | 'closed';

export interface ConsoleOptions {
  lab: string;
  deviceKey: string;
  /** ws(s)://host/ws */
  bridgeUrl: string;
  /** Typed at the first prompt and run (the page's ?run=NAME). */
  initialCommand?: string;
  /** The device's Python files, for `python FILE`. */
  files?: DeviceFilesProvider;
  onWelcome?(welcome: Welcome): void;
  /** The server closed the bridge (it stopped, or restarted). */
  onServerGone?(reason: string): void;
  /** The console could not open (no such lab, server unreachable). */
  onFailed?(message: string): void;
  /** The user pressed the console's close button. */
  onCloseRequest?(): void;
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
  private readonly title: HTMLElement;
  private readonly disposers: (() => void)[] = [];
  private session: BridgeSession | null = null;
  private shell: Shell | null = null;
  private currentState: ConsoleState = 'connecting';

  constructor(
    parent: HTMLElement,
    private readonly options: ConsoleOptions,
  ) {
    this.element = document.createElement('section');
    this.element.className = 'console';
    this.element.innerHTML =
      '<header class="console-bar"><span class="console-title">Console</span>' +
      '<span class="console-status"></span>' +
      '<button type="button" class="console-close" title="Close this console" aria-label="Close this console">×</button></header>' +
      '<div class="console-screen"></div>';
    this.title = this.element.querySelector('.console-title')!;
    this.status = this.element.querySelector('.console-status')!;
    const screen = this.element.querySelector<HTMLElement>('.console-screen')!;
    const closeButton = this.element.querySelector<HTMLButtonElement>('.console-close')!;
    const onCloseClick = () => (options.onCloseRequest ? options.onCloseRequest() : this.close());
    closeButton.addEventListener('click', onCloseClick);
    this.disposers.push(() => closeButton.removeEventListener('click', onCloseClick));
    parent.append(this.element);

    this.term = new Terminal({
      cursorBlink: true,
      fontSize: FONT_SIZE_PX,
      lineHeight: LINE_HEIGHT,
      fontFamily: FONT_FAMILY,
      scrollback: SCROLLBACK_LINES,
    });
    this.term.loadAddon(this.fit);
    this.term.open(screen);
    this.term.write(REVERSE_WRAPAROUND_ON);
    this.disposers.push(followColorScheme((theme) => (this.term.options.theme = theme)));
    this.term.attachCustomKeyEventHandler((event) => this.browserKeepsKey(event));

    this.discipline = new LineDiscipline((text) => {
      // A program may still print its last words after the console closed (EOFError...).
      if (this.currentState === 'closed') return;
      this.transcript.append(text);
      this.term.write(text);
    });
    const data = this.term.onData((keys) => this.discipline.input(keys));
    this.disposers.push(() => data.dispose());
    this.disposers.push(watchSize(screen, () => this.refit()));
    this.refit();
    this.setState('connecting');
    void this.connect();
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
    this.discipline.input(keys);
  }

  focus(): void {
    this.term.focus();
  }

  /** Ends the console: its programs stop and their sockets close (the server sees the WebSocket go). */
  close(): void {
    if (this.currentState === 'closed') return;
    this.setState('closed');
    this.shell?.stop();
    this.discipline.close();
    this.session?.close();
    for (const dispose of this.disposers.splice(0).reverse()) dispose();
    this.term.dispose();
    this.element.remove();
  }

  private async connect(): Promise<void> {
    const { lab, deviceKey, bridgeUrl } = this.options;
    let session: BridgeSession;
    try {
      // The DOM's WebSocket types its handlers with DOM events, WebSocketLike with unknown:
      // the same object at run time, but TypeScript cannot see that through the setters.
      const ws = new WebSocket(bridgeUrl) as unknown as WebSocketLike;
      session = await BridgeSession.open(ws, lab, deviceKey);
    } catch (err) {
      if (this.currentState === 'closed') return;
      const message = err instanceof Error ? err.message : String(err);
      this.discipline.write(`Could not open a console: ${message}.\n`);
      this.endInput();
      this.setState('failed');
      this.options.onFailed?.(message);
      return;
    }
    if (this.currentState === 'closed') {
      session.close(); // closed while connecting
      return;
    }
    this.session = session;
    const { welcome } = session;
    this.element.dataset.pid = String(welcome.pid);
    this.element.dataset.console = String(welcome.console);
    this.element.dataset.address = welcome.device.address;
    this.title.textContent = `Console ${welcome.console}`;
    this.disposers.push(session.onClose((reason) => this.serverGone(reason)));
    this.options.onWelcome?.(welcome);

    const shell = new Shell({
      session,
      terminal: this.discipline,
      launcher: builtinLauncher(session),
      files: this.options.files ?? noFiles,
      clear: () => this.term.clear(),
    });
    this.shell = shell;
    this.disposers.push(shell.onStateChange((status) => this.showShellStatus(status)));
    void shell.start(); // writes the first prompt before it returns to here
    if (this.options.initialCommand) this.discipline.input(this.options.initialCommand + '\r');
  }

  private serverGone(reason: string): void {
    if (this.currentState === 'closed') return;
    this.shell?.stop();
    this.setState('disconnected');
    // After the running program's last words (they come in this same turn of the event loop).
    setTimeout(() => {
      if (this.currentState === 'closed') return;
      const lead = this.discipline.atLineStart ? '' : '\n';
      this.discipline.write(`${lead}[Disconnected: ${reason}. Reload the page once the lab server is back.]\n`);
      this.endInput();
    }, 0);
    this.options.onServerGone?.(reason);
  }

  /** Nothing more can be typed here: keys are ignored and the cursor is hidden. */
  private endInput(): void {
    this.discipline.close();
    this.term.write(HIDE_CURSOR);
  }

  private showShellStatus(status: ShellStatus): void {
    if (this.currentState === 'closed' || this.currentState === 'disconnected') return;
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
      failed: 'could not connect',
      disconnected: 'the lab server went away',
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
    return true;
  }
}
