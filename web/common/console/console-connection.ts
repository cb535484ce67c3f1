// What a console does with its connection, without the terminal or the page: its own bridge
// session (one WebSocket per console, so one process with a PID on the device), a shell over
// the line discipline, and what happens when the bridge closes: the console says why
// (bridge/close-reasons.ts), and after a restart or a cut line it reconnects by itself with
// backoff (bridge/reconnector.ts) to the same device, and a fresh shell takes over the same
// line discipline: the programs that ran have ended. Typed keys go to the shell or its program
// while connected; while the connection is lost only Enter means something.
// DOM-free, xterm.js's injected-I/O way: the socket, the screen it writes to and shows its
// state on, the program launcher and the clocks are given, so Node tests drive it with a
// scripted WebSocket and read what it wrote. xterm-console.ts is the page's adapter.

import type { Welcome } from '../../../shared/bridge-protocol.ts';
import { BridgeClosedError, BridgeSession, type WebSocketLike } from '../bridge/bridge-session.ts';
import { closeLine, explainClose, type CloseExplanation } from '../bridge/close-reasons.ts';
import { Reconnector, type RetryTimer } from '../bridge/reconnector.ts';
import { attachWireTap, WireTap } from '../net/wire-tap.ts';
import { LineDiscipline } from './line-discipline.ts';
import { Shell, type DeviceFilesProvider, type ProgramLauncher, type ShellStatus } from './shell.ts';
import { Transcript } from './transcript.ts';

/** DECTCEM off: a console that takes no more input shows no cursor. */
export const HIDE_CURSOR = '\x1b[?25l';
export const SHOW_CURSOR = '\x1b[?25h';
/** The page's own lines (the server went away, reconnected, a notice) in yellow, then back. */
export const PAGE_LINE_START = '\x1b[33m';
export const PAGE_LINE_END = '\x1b[0m';

/**
 * connecting, then the shell's states; reconnecting while it retries by itself after the
 * server went away; disconnected when it waits for the student (Enter) or for nothing.
 */
export type ConsoleState = 'connecting' | ShellStatus['state'] | 'reconnecting' | 'disconnected' | 'closed';

/** What the screen shows besides the terminal's text: the console's bar and its attributes. */
export interface ConsoleView {
  state: ConsoleState;
  /** The bar's status text. */
  status: string;
  /** The last session's welcome (kept while the connection is lost); null before the first. */
  welcome: Welcome | null;
  /** The program running in the console, while one runs. */
  program: { name: string; pid: number } | null;
}

/** Where the console's output goes: a terminal on the page, a list in a test. */
export interface ConsoleScreen {
  /** Terminal text and control sequences, as they come. */
  write(text: string): void;
  /** The shell's `clear`: the screen and its scrollback. */
  clear(): void;
  /** The state, status, session or program changed. */
  show(view: ConsoleView): void;
}

export interface ConsoleConnectionOptions {
  lab: string;
  deviceKey: string;
  /** A new WebSocket to the bridge, for each attempt. */
  openSocket(): WebSocketLike;
  screen: ConsoleScreen;
  /** The programs a shell on this session can run (built-ins and Python on the page). */
  launcherFor(session: BridgeSession): ProgramLauncher;
  /** Typed at the first prompt and run (the page's ?run=NAME). */
  initialCommand?: string;
  /** The device's Python files, for `python FILE`. */
  files?: DeviceFilesProvider;
  /** Connected; again is true after a reconnect. */
  onWelcome?(welcome: Welcome, again: boolean): void;
  /** The bridge closed or could not open: why, and whether the console retries by itself. */
  onLost?(explanation: CloseExplanation): void;
  /** The retries' clock (tests); setTimeout otherwise. */
  retryTimer?: RetryTimer;
  /** Runs a function after the current turn (setTimeout 0 otherwise; tests run it when they choose). */
  later?(fn: () => void): void;
}

/** What an error from opening the bridge means; a failure that is not the bridge's is retried. */
function explainError(err: unknown): CloseExplanation {
  return err instanceof BridgeClosedError ? explainClose(err.closeCode, err.message) : explainClose(null);
}

/** A console without a device file store (the lab page always gives one). */
const noFiles: DeviceFilesProvider = () => ({});

export class ConsoleConnection {
  private readonly transcript = new Transcript();
  /** The console's line discipline: what the shell and its programs read and write. */
  readonly discipline: LineDiscipline;
  /** What this console's programs' sockets sent and received (kept across reconnects). */
  readonly wire = new WireTap();
  /** Listeners of the current session and shell, removed when that connection ends. */
  private connectionDisposers: (() => void)[] = [];
  private readonly reconnector: Reconnector<BridgeSession>;
  private readonly later: (fn: () => void) => void;
  private session: BridgeSession | null = null;
  private shell: Shell | null = null;
  private currentState: ConsoleState = 'connecting';
  private program: ConsoleView['program'] = null;
  /** Why the last connection ended, until the next one is made. */
  private lost: CloseExplanation | null = null;
  private connections = 0;

  constructor(private readonly options: ConsoleConnectionOptions) {
    this.later = options.later ?? ((fn) => setTimeout(fn, 0));
    this.discipline = new LineDiscipline((text) => {
      // A program may still print its last words after the console closed (EOFError...).
      if (this.currentState === 'closed') return;
      this.transcript.append(text);
      options.screen.write(text);
    });
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
  }

  /** The first connection, at once. */
  start(): void {
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

  /** Why the connection ended, while it is not back (null when connected or connecting first). */
  get lostBecause(): CloseExplanation | null {
    return this.lost;
  }

  /** True while a retry is scheduled or under way (false: it waits for the student, or for nothing). */
  get retrying(): boolean {
    return this.reconnector.active;
  }

  /** While retrying by itself: the next attempt now, not when a throttled timer would let it. */
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
  input(keys: string): void {
    if (this.currentState === 'disconnected') {
      if (/[\r\n]/.test(keys)) this.reconnect();
      return;
    }
    if (this.currentState === 'reconnecting' || this.currentState === 'closed') return;
    this.discipline.input(keys);
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
  }

  /** One attempt to open the console's bridge session (the reconnector calls it). */
  private openSession(): Promise<BridgeSession> {
    return BridgeSession.open(this.options.openSocket(), this.options.lab, this.options.deviceKey);
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
    const { screen } = this.options;
    this.connectionDisposers.push(session.onClose((reason) => this.sessionClosed(session, reason)));
    this.options.onWelcome?.(session.welcome, again);
    if (again) {
      screen.write(SHOW_CURSOR);
      this.writePageLine('Reconnected: programs that were running have ended.');
    }

    const shell = new Shell({
      session,
      terminal: this.discipline,
      launcher: this.options.launcherFor(session),
      files: this.options.files ?? noFiles,
      clear: () => screen.clear(),
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
    this.program = null;
    this.connectionLost(explainClose(session.closeCode, reason));
  }

  /** Says why the connection is gone, and retries by itself or waits, as the reason calls for. */
  private connectionLost(explanation: CloseExplanation): void {
    if (this.currentState === 'closed') return;
    this.lost = explanation;
    const retrying = explanation.policy === 'auto';
    this.setState(retrying ? 'reconnecting' : 'disconnected');
    // After the running program's last words (they come in this same turn of the event loop).
    this.later(() => {
      if (this.currentState === 'closed' || this.lost !== explanation) return;
      this.writePageLine(closeLine(explanation));
      if (explanation.policy !== 'on-request') this.options.screen.write(HIDE_CURSOR);
    });
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
    this.program = status.program;
    this.setState(status.state);
  }

  private setState(state: ConsoleState): void {
    this.currentState = state;
    const pid = this.pid === null ? '' : `shell PID ${this.pid}`;
    const program = this.program;
    const texts: Record<ConsoleState, string> = {
      connecting: 'connecting…',
      prompt: pid,
      busy: pid,
      running: program ? `running ${program.name} (PID ${program.pid}) · Ctrl-C stops it` : pid,
      stopped: 'disconnected',
      reconnecting: 'the lab server went away · reconnecting…',
      disconnected: this.lost ? `disconnected: ${this.lost.what}` : 'disconnected',
      closed: 'closed',
    };
    this.options.screen.show({ state, status: texts[state], welcome: this.session?.welcome ?? null, program });
  }
}
