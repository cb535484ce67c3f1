// The plain text of everything a console has shown, for tests (Playwright reads it through
// window.socketLab) and anyone who wants to copy a session. It reads the same stream xterm.js
// gets and keeps what a person would see: '\r' dropped, escape sequences and bells dropped,
// and a Backspace erase ('\b \b', as the line discipline draws it) really erases, so a typo
// corrected at the prompt reads as the corrected line. DOM-free.

import { charWidth } from './terminal-width.ts';

/** Oldest lines are dropped past this many characters, so a long session stays small. */
export const MAX_TRANSCRIPT_CHARS = 1_000_000;

export class Transcript {
  private readonly lines: string[] = [];
  private linesChars = 0;
  /** The current line, one screen cell per element ('' after a wide character). */
  private cells: string[] = [];
  private cursor = 0;
  /** An escape sequence cut between two writes: the rest is skipped when it arrives. */
  private inEscape: 'esc' | 'csi' | 'osc' | 'osc-esc' | null = null;

  append(text: string): void {
    for (const char of text) {
      if (this.inEscape !== null) {
        this.skipEscape(char);
        continue;
      }
      switch (char) {
        case '\r':
          break;
        case '\n':
          this.endLine();
          break;
        case '\b':
          this.cursor = Math.max(0, this.cursor - 1);
          break;
        case '\x1b':
          this.inEscape = 'esc';
          break;
        default:
          this.put(char);
      }
    }
  }

  /** Everything shown so far, lines joined with '\n'. */
  text(): string {
    return [...this.lines, this.renderLine()].join('\n');
  }

  private put(char: string): void {
    if (char !== '\t' && (char < ' ' || (char >= '\x7f' && char < '\xa0'))) return;
    const width = char === '\t' ? 1 : charWidth(char);
    if (width === 0) {
      if (this.cursor > 0) this.cells[this.cursor - 1] += char;
      return;
    }
    this.cells[this.cursor] = char;
    if (width === 2) this.cells[this.cursor + 1] = '';
    this.cursor += width;
  }

  /** Cells before the cursor count; past it, spaces an erase left behind do not. */
  private renderLine(): string {
    const before = this.cells.slice(0, this.cursor);
    const after = this.cells.slice(this.cursor).join('').replace(/ +$/, '');
    return Array.from(before, (cell) => cell ?? ' ').join('') + after;
  }

  private endLine(): void {
    const line = this.renderLine();
    this.lines.push(line);
    this.linesChars += line.length + 1;
    while (this.linesChars > MAX_TRANSCRIPT_CHARS && this.lines.length > 0) {
      this.linesChars -= this.lines.shift()!.length + 1;
    }
    this.cells = [];
    this.cursor = 0;
  }

  private skipEscape(char: string): void {
    switch (this.inEscape) {
      case 'esc':
        this.inEscape = char === '[' ? 'csi' : char === ']' ? 'osc' : null;
        return;
      case 'csi': // parameters and intermediates, then one final byte from '@' to '~'
        if (char >= '@' && char <= '~') this.inEscape = null;
        return;
      case 'osc': // up to BEL or ESC \
        if (char === '\x07') this.inEscape = null;
        else if (char === '\x1b') this.inEscape = 'osc-esc';
        return;
      case 'osc-esc':
        this.inEscape = char === '\\' ? null : 'osc';
        return;
    }
  }
}
