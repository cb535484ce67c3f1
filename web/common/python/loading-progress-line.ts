// "Loading Python… 42%" on the console while Pyodide loads, redrawn in place and erased once
// it is loaded. It draws with backspaces, not with '\r' and an erase sequence, so that a
// console's transcript (which keeps what a person sees) ends up without it, and it ends with
// '\r' so the console knows its cursor is back at the start of a line.

export const LOADING_LABEL = 'Loading Python…';

export class LoadingProgressLine {
  /** Characters drawn so far (0: nothing shown). */
  private shown = 0;
  private percent = -1;
  private done = false;

  constructor(private readonly write: (text: string) => void) {}

  show(fraction: number): void {
    if (this.done) return;
    const percent = Math.max(0, Math.min(100, Math.floor(fraction * 100)));
    if (percent === this.percent) return;
    this.percent = percent;
    const text = `${LOADING_LABEL} ${percent}%`;
    // Back over the old text and over-write it; a shorter text blanks the old one's tail.
    const tail = Math.max(0, this.shown - text.length);
    this.write('\b'.repeat(this.shown) + text + ' '.repeat(tail) + '\b'.repeat(tail));
    this.shown = text.length;
  }

  clear(): void {
    if (this.done) return;
    this.done = true;
    if (this.shown === 0) return;
    this.write('\b'.repeat(this.shown) + ' '.repeat(this.shown) + '\b'.repeat(this.shown) + '\r');
    this.shown = 0;
  }
}
