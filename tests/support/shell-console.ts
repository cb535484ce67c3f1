// A console in Node: the page's Shell over a real LineDiscipline and Transcript, with a real
// BridgeSession to the lab server and the real built-in programs, joined the way
// web/console/xterm-console.ts joins them, minus xterm.js. Tests type keys into it and wait
// for what it shows, as a student reads the screen.

import { closeLine, explainClose } from '../../web/common/bridge/close-reasons.ts';
import type { BridgeSession } from '../../web/common/bridge/bridge-session.ts';
import { builtinLauncher } from '../../web/console/builtin-launcher.ts';
import { LineDiscipline } from '../../web/common/console/line-discipline.ts';
import { Shell } from '../../web/common/console/shell.ts';
import { Transcript } from '../../web/common/console/transcript.ts';
import type { TestLabServer } from './lab-server.ts';

interface Waiter {
  test(): boolean;
  resolve(): void;
}

export class ShellConsole {
  readonly shell: Shell;
  /** The shell's read-run loop: resolves once the shell has stopped. */
  readonly loop: Promise<void>;
  /** How many times `clear` cleared the screen (xterm.js's clear() in the page). */
  clears = 0;
  private readonly transcript = new Transcript();
  private readonly discipline: LineDiscipline;
  private waiters: Waiter[] = [];
  private closed = false;

  /** A new console of the device `deviceKey` (same key = same device, as tabs of one browser). */
  static async open(server: TestLabServer, lab: string, deviceKey: string): Promise<ShellConsole> {
    return new ShellConsole(await server.openConsole(lab, deviceKey));
  }

  constructor(readonly session: BridgeSession) {
    this.discipline = new LineDiscipline((text) => {
      // As the page: a program may still print its last words after the console closed.
      if (this.closed) return;
      this.transcript.append(text);
      this.checkWaiters();
    });
    session.onClose((reason) => this.serverGone(reason));
    this.shell = new Shell({
      session,
      terminal: this.discipline,
      launcher: builtinLauncher(session),
      clear: () => this.clears++,
    });
    this.loop = this.shell.start(); // writes the first prompt before it returns
  }

  /** This console's own PID (its shell's). */
  get pid(): number {
    return this.session.welcome.pid;
  }

  /** The device's lab address, e.g. 10.3.0.2. */
  get address(): string {
    return this.session.welcome.device.address;
  }

  get prompt(): string {
    return `${this.address}$ `;
  }

  /** Everything shown so far, as the page's transcript has it. */
  text(): string {
    return this.transcript.text();
  }

  /** Keys as the terminal sends them: 'ps\r', '\x03' for Ctrl-C, '\x04' for Ctrl-D. */
  type(keys: string): void {
    this.discipline.input(keys);
  }

  /**
   * Resolves, with the offset just past the match, once the text from offset `from` on holds
   * the pattern; fails after limitMs with the text so far, so a broken test shows what it saw.
   */
  waitFor(pattern: string | RegExp, from = 0, limitMs = 15_000): Promise<number> {
    const find = (): number | null => {
      const tail = this.text().slice(from);
      if (typeof pattern === 'string') {
        const at = tail.indexOf(pattern);
        return at < 0 ? null : from + at + pattern.length;
      }
      const m = pattern.exec(tail);
      return m ? from + m.index + m[0].length : null;
    };
    const now = find();
    if (now !== null) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        test: () => find() !== null,
        resolve: () => {
          clearTimeout(timer);
          resolve(find()!);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`never saw ${JSON.stringify(String(pattern))} after offset ${from}; the console showed:\n${this.text()}`));
      }, limitMs);
      this.waiters.push(waiter);
    });
  }

  /** Waits for the next prompt after offset `from` (the one that ends the text). */
  async waitForPrompt(from = 0): Promise<number> {
    return this.waitFor(new RegExp(`(^|\\n)${this.prompt.replace(/[.$]/g, '\\$&')}$`), from);
  }

  /** The console's close button: the shell stops, the WebSocket closes, the programs end. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.shell.stop();
    this.discipline.close();
    this.session.close();
  }

  private checkWaiters(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.test()) return true;
      w.resolve();
      return false;
    });
  }

  /** As the page does when the server closes the bridge (the page then reconnects; this console stops). */
  private serverGone(reason: string): void {
    if (this.closed) return;
    this.shell.stop();
    // After the running program's last words (they come in this same turn of the event loop).
    setTimeout(() => {
      if (this.closed) return;
      const lead = this.discipline.atLineStart ? '' : '\n';
      this.discipline.write(`${lead}[${closeLine(explainClose(this.session.closeCode, reason))}]\n`);
      this.discipline.close();
    }, 0);
  }
}
