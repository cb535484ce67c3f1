// Text that grows (a console's or a process's output) and can be waited on: tests wait for
// what a program prints, never for a fixed time.

export class AwaitableText {
  text = '';
  private waiters: { test: () => boolean; resolve: () => void }[] = [];

  append(chunk: string): void {
    this.text += chunk;
    this.waiters = this.waiters.filter((w) => {
      if (!w.test()) return true;
      w.resolve();
      return false;
    });
  }

  /** Resolves when the text (from index `from` on) contains the pattern; fails after limitMs
   * with the text so far, so a broken test says what it saw instead of hanging. */
  waitFor(pattern: string | RegExp, from = 0, limitMs = 15_000): Promise<void> {
    const test = () => {
      const tail = this.text.slice(from);
      return typeof pattern === 'string' ? tail.includes(pattern) : pattern.test(tail);
    };
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`never saw ${String(pattern)}; output was:\n${this.text}`));
      }, limitMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ test, resolve: done });
    });
  }
}
