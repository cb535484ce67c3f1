// Runs one of the worksheet's programs under real CPython on the host, unchanged, as a peer.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { delimiter, dirname, join, resolve } from 'node:path';
import { AwaitableText } from './awaitable-text.ts';
import { waitHostListening } from './host-ports.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const LESSON_PROGRAMS_DIR = resolve(here, '../../../shared/lesson/programs');
/** sitecustomize.py there sets SO_REUSEADDR before every bind, so that consecutive tests can
 * bind the lesson's fixed ports while the last test's connections sit in TIME_WAIT. The
 * programs themselves run unchanged. */
const SITE_DIR = join(here, 'python');

export interface PythonOptions {
  /** More folders for PYTHONPATH, after the sitecustomize one (e.g. where tictactoe.py is). */
  pythonPath?: readonly string[];
  /** More environment variables, e.g. SOCKETLAB_SEED (see python/sitecustomize.py). */
  env?: Readonly<Record<string, string>>;
}

export class PythonProcess {
  private static readonly running = new Set<PythonProcess>();

  static killAll(): void {
    for (const p of PythonProcess.running) p.kill();
  }

  readonly stdout = new AwaitableText();
  readonly stderr = new AwaitableText();
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(file: string, stdinLines: string[] = [], cwd = LESSON_PROGRAMS_DIR, options: PythonOptions = {}) {
    this.child = spawn('python3', ['-u', file], {
      cwd,
      env: {
        ...process.env,
        ...options.env,
        PYTHONPATH: [SITE_DIR, ...(options.pythonPath ?? [])].join(delimiter),
        PYTHONIOENCODING: 'utf-8',
      },
    });
    this.child.stdout.setEncoding('utf8').on('data', (s: string) => this.stdout.append(s));
    this.child.stderr.setEncoding('utf8').on('data', (s: string) => this.stderr.append(s));
    PythonProcess.running.add(this);
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code) => {
        PythonProcess.running.delete(this);
        resolve(code);
      }),
    );
    for (const line of stdinLines) this.type(line);
  }

  /** Waits until the program listens on the host port; if it cannot, says what it printed. */
  async listening(port: number): Promise<void> {
    const exited = this.exited.then((code) => {
      throw new Error(`python3 exited (${code}) before listening on ${port}:\n${this.stderr.text}`);
    });
    await Promise.race([waitHostListening(port), exited]);
  }

  type(line: string): void {
    this.child.stdin.write(line + '\n');
  }

  endInput(): void {
    this.child.stdin.end();
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}
