// A console's line discipline: what a Unix tty does in canonical mode, between xterm.js's
// keystrokes and the shell or program reading lines. It echoes what is typed, edits the
// line (Backspace, Ctrl-U, Ctrl-W), hands out whole lines on Enter, queues lines typed while
// nobody reads (type-ahead), turns Ctrl-C into an interrupt and Ctrl-D on an empty line into
// end of input. DOM-free: output goes to the write callback it is given (xterm.js-style),
// so Node tests drive it with strings.

import { Emitter, type Disposer } from '../../../shared/emitter.ts';
import type { ConsoleIO } from '../programs/program-runner.ts';
import { charWidth } from './terminal-width.ts';

/** Longest line one may type, in code points (Linux's tty buffer holds 4095 characters). */
export const MAX_LINE_CODE_POINTS = 4095;
/** Most completed lines kept for a reader that has not asked yet (a big paste stops here). */
export const MAX_TYPE_AHEAD_LINES = 1000;

const BELL = '\x07';

interface Reader {
  resolve(line: string | null): void;
  reject(reason: unknown): void;
  signal: AbortSignal;
  onAbort(): void;
}

/** Columns a stored character was drawn in: a tab is echoed as one space (see input). */
function cellsOf(char: string): number {
  return char === '\t' ? 1 : charWidth(char);
}

/** Index just past the escape sequence that starts at data[at] (the ESC itself). */
function skipEscapeSequence(data: string, at: number): number {
  let i = at + 1;
  const kind = data[i];
  if (kind === '[') {
    // CSI: parameter and intermediate bytes, then one final byte (arrow keys, Delete, F5...).
    i++;
    while (i < data.length && data.charCodeAt(i) >= 0x20 && data.charCodeAt(i) <= 0x3f) i++;
    return Math.min(i + 1, data.length);
  }
  if (kind === ']') {
    // OSC: up to BEL or ESC \ (xterm.js answers some queries this way).
    while (i < data.length && data[i] !== BELL && !(data[i] === '\x1b' && data[i + 1] === '\\')) i++;
    return Math.min(data[i] === BELL ? i + 1 : i + 2, data.length);
  }
  // SS3 (ESC O x: F1-F4, keypad) or Alt+key (ESC x): two or three characters in all.
  if (kind === 'O') return Math.min(i + 2, data.length);
  return Math.min(i + 1, data.length);
}

export class LineDiscipline implements ConsoleIO {
  /** The line being typed, one code point per element. */
  private line: string[] = [];
  /** Completed lines nobody has read yet; null is an end of input typed ahead. */
  private readonly typeAhead: (string | null)[] = [];
  private readonly readers: Reader[] = [];
  private readonly interrupts = new Emitter();
  /** \r\n in pasted text is one Enter, even when the two arrive in separate chunks. */
  private lastInputWasCR = false;
  private lastOutputWasCR = false;
  private cursorAtLineStart = true;
  private closed = false;

  constructor(private readonly output: (text: string) => void) {}

  /** True when the cursor is at the start of a line (the shell starts its prompt there). */
  get atLineStart(): boolean {
    return this.cursorAtLineStart;
  }

  /** True while some readLine waits for a line. */
  get readerWaiting(): boolean {
    return this.readers.length > 0;
  }

  /** What has been typed on the current line so far. */
  get pendingText(): string {
    return this.line.join('');
  }

  /** Ctrl-C. Returns a function that removes the listener. */
  onInterrupt(listener: () => void): Disposer {
    return this.interrupts.on(listener);
  }

  /** Keys and pasted text from the terminal (xterm.js's onData). */
  input(data: string): void {
    if (this.closed) return;
    let echo = '';
    let i = 0;
    while (i < data.length) {
      if (data[i] === '\x1b') {
        // Arrow keys, Home, Delete...: no cursor movement in a canonical line, so ignored.
        i = skipEscapeSequence(data, i);
        this.lastInputWasCR = false;
        continue;
      }
      const char = String.fromCodePoint(data.codePointAt(i)!);
      i += char.length;
      const afterCR = this.lastInputWasCR;
      this.lastInputWasCR = char === '\r';
      if (char === '\n' && afterCR) continue; // the \n of a pasted \r\n
      switch (char) {
        case '\r':
        case '\n': // a lone \n (some pastes) is Enter too
          echo += '\r\n';
          this.complete(this.line.join(''));
          this.line = [];
          break;
        case '\x7f': // Backspace as xterm.js sends it
        case '\b': // Ctrl-H
          echo += this.eraseLast();
          break;
        case '\x15': // Ctrl-U
          while (this.line.length > 0) echo += this.eraseLast();
          break;
        case '\x17': // Ctrl-W: the spaces before the cursor, then the word
          while (this.line.length > 0 && /\s/.test(this.line[this.line.length - 1]!)) echo += this.eraseLast();
          while (this.line.length > 0 && !/\s/.test(this.line[this.line.length - 1]!)) echo += this.eraseLast();
          break;
        case '\x03': // Ctrl-C
          this.emit(echo + '^C\r\n');
          echo = '';
          this.interrupt();
          break;
        case '\x04': // Ctrl-D: end of input on an empty line; elsewhere nothing, as in bash
          if (this.line.length === 0) this.complete(null);
          break;
        default: {
          const code = char.codePointAt(0)!;
          const isControl = (code < 0x20 && char !== '\t') || (code >= 0x7f && code < 0xa0);
          if (isControl) break;
          if (this.line.length >= MAX_LINE_CODE_POINTS) {
            echo += BELL;
            break;
          }
          this.line.push(char);
          // A tab is kept in the line but drawn as one space, so Backspace knows its width.
          echo += char === '\t' ? ' ' : char;
        }
      }
    }
    this.emit(echo);
  }

  /** The next line typed, without its newline; null at end of input. */
  readLine(signal: AbortSignal): Promise<string | null> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.typeAhead.length > 0) return Promise.resolve(this.typeAhead.shift() as string | null);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const reader: Reader = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          // This reader leaves the queue, so the next line goes to whoever reads next.
          const at = this.readers.indexOf(reader);
          if (at >= 0) this.readers.splice(at, 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', reader.onAbort, { once: true });
      this.readers.push(reader);
    });
  }

  /**
   * Echoes the line typed so far once more, as it was first echoed. The shell calls it after
   * its prompt, as bash's readline shows what was typed ahead while a program ran: without it
   * the prompt looks empty while Enter would run the hidden text.
   */
  redrawLine(): void {
    this.emit(this.line.map((char) => (char === '\t' ? ' ' : char)).join(''));
  }

  /** Output from a program or the shell: '\n' becomes '\r\n', as a tty's ONLCR does. */
  write(text: string): void {
    if (text === '') return;
    let out = '';
    let from = 0;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
      const precededByCR = at > 0 ? text[at - 1] === '\r' : this.lastOutputWasCR;
      out += text.slice(from, at) + (precededByCR ? '\n' : '\r\n');
      from = at + 1;
    }
    this.emit(out + text.slice(from));
  }

  /**
   * The connection behind the console was lost: every waiting read fails with `reason` (a
   * program's input() ends with it), and what was typed ahead or half typed is dropped, so
   * none of it runs by surprise in the shell that comes after a reconnect.
   */
  cancelReaders(reason: unknown): void {
    this.line = [];
    this.typeAhead.length = 0;
    for (const reader of this.readers.splice(0)) {
      reader.signal.removeEventListener('abort', reader.onAbort);
      reader.reject(reason);
    }
  }

  /** The console is going away: readers now and later get end of input. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.line = [];
    for (const reader of this.readers.splice(0)) {
      reader.signal.removeEventListener('abort', reader.onAbort);
      reader.resolve(null);
    }
    this.interrupts.clear();
  }

  private emit(text: string): void {
    if (text === '') return;
    this.output(text);
    const last = text[text.length - 1];
    this.lastOutputWasCR = last === '\r';
    this.cursorAtLineStart = last === '\n' || last === '\r';
  }

  private complete(line: string | null): void {
    const reader = this.readers.shift();
    if (reader) {
      reader.signal.removeEventListener('abort', reader.onAbort);
      reader.resolve(line);
    } else if (this.typeAhead.length < MAX_TYPE_AHEAD_LINES) {
      this.typeAhead.push(line);
    }
  }

  private interrupt(): void {
    this.line = [];
    this.typeAhead.length = 0;
    this.interrupts.emit();
  }

  /** Removes the last code point and returns what erases it on the screen. */
  private eraseLast(): string {
    const char = this.line.pop();
    if (char === undefined) return '';
    const cells = cellsOf(char);
    if (cells > 0) return '\b'.repeat(cells) + ' '.repeat(cells) + '\b'.repeat(cells);
    // A combining mark shares its base character's cell: redraw the base without it.
    let base = this.line.length - 1;
    while (base >= 0 && cellsOf(this.line[base]!) === 0) base--;
    if (base < 0) return '';
    return '\b'.repeat(cellsOf(this.line[base]!)) + this.line.slice(base).join('');
  }
}
