// A console for tests: collects what a program writes and feeds it typed lines, like the
// page's line discipline but without echo (as when CPython reads a pipe).

import type { ConsoleIO } from '../../web/common/programs/program-runner.ts';
import { AwaitableText } from './awaitable-text.ts';

export class TestConsole extends AwaitableText implements ConsoleIO {
  private readonly typed: (string | null)[] = [];
  private reader: ((line: string | null) => void) | null = null;

  constructor(lines: string[] = []) {
    super();
    this.typed.push(...lines);
  }

  write(text: string): void {
    this.append(text);
  }

  readLine(signal: AbortSignal): Promise<string | null> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.typed.length > 0) return Promise.resolve(this.typed.shift()!);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.reader = null;
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.reader = (line) => {
        signal.removeEventListener('abort', onAbort);
        resolve(line);
      };
    });
  }

  type(line: string | null): void {
    const reader = this.reader;
    this.reader = null;
    if (reader) reader(line);
    else this.typed.push(line);
  }
}
