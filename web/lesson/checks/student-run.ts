// The student's file running in browser Python for one scenario, through the console's own
// python runner, with a scripted console: typed lines come from the scenario (prompts for the
// server's address or port are answered by themselves), output is captured. The check
// wrapper (web/common/lesson/checks/check-wrapper.ts) marks the end of the file, and while it waits the program's
// sockets are read from netstat.

import type { NetstatRow } from '../../../shared/bridge-protocol.ts';
import { Emitter, type Disposer } from '../../../shared/emitter.ts';
import type { Scenario } from '../../../shared/checks/scenario.ts';
import { lastLines, type Transcript } from '../../../shared/checks/transcript.ts';
import type { BridgeSession } from '../../common/bridge/bridge-session.ts';
import type { ConsoleIO, RunningProgram } from '../../common/programs/program-runner.ts';
import { startPython } from '../../python/python-runner.ts';
import { CheckFailure, deadline } from '../../common/lesson/checks/check-failure.ts';
import { END_MARK, WRAPPER_FILE, WRAPPER_SOURCE } from '../../common/lesson/checks/check-wrapper.ts';

const ADDRESS_PROMPT = /\b(address|host|ip)\b/i;
const PORT_PROMPT = /\bport\b/i;
const LOCALHOST = '127.0.0.1';
/** How long a program still running at its scenario's end may take to end by itself. */
const END_GRACE_MS = 1000;
/** How long Python may take to load before the check gives up (a cold load takes a few seconds). */
const PYTHON_START_LIMIT_MS = 60_000;

export interface StudentEnd {
  status: number;
  /** The program's sockets still open when its file ended. */
  leftOpen: NetstatRow[];
}

export class StudentRun {
  output = '';
  /** Scripted lines given to the program so far. */
  linesTyped = 0;
  endedWith: StudentEnd | null = null;
  /** Set when the program asked for more lines than the scenario types. */
  problem: CheckFailure | null = null;
  private running: RunningProgram | null = null;
  private stopping = false;
  private readonly changes = new Emitter();
  private readonly stdin: string[];

  constructor(
    private readonly session: BridgeSession,
    private readonly scenario: Scenario,
    private readonly files: Readonly<Record<string, string>>,
    private readonly transcript: Transcript,
  ) {
    this.stdin = [...scenario.stdin];
  }

  async start(): Promise<void> {
    const argv = [WRAPPER_FILE, this.scenario.file];
    if (this.scenario.secret !== undefined) argv.push(String(this.scenario.secret));
    this.running = await startPython(this.session, this.consoleIO(), {
      argv,
      files: { ...this.files, [WRAPPER_FILE]: WRAPPER_SOURCE },
    });
    this.running.done.then(() => {
      this.endedWith ??= { status: -1, leftOpen: [] };
      this.changed();
    });
    // The scenario's steps count their seconds from the program's first line, not from
    // Python's load, which a slow or busy laptop may take seconds over.
    const loading = deadline(PYTHON_START_LIMIT_MS, () => `Python did not start within ${PYTHON_START_LIMIT_MS / 1000} s`);
    try {
      await Promise.race([this.running.started, loading.promise]);
    } finally {
      loading.cancel();
    }
  }

  get pid(): number | null {
    return this.running?.pid ?? null;
  }

  /** Calls back whenever output, an end or a problem comes; returns how to stop listening. */
  onChange(waiter: () => void): Disposer {
    return this.changes.on(waiter);
  }

  /** How the program ended, for a message ('' while it runs). */
  describeEnd(): string {
    if (!this.endedWith) return '';
    const tail = lastLines(this.output);
    return tail ? ` (your program ended; its last output: ${tail})` : ' (your program ended)';
  }

  /** Stops the program if it still runs (Ctrl-C, then by force) and waits until it has exited. */
  async stop(): Promise<void> {
    if (!this.running) return;
    // A program that is closing its sockets after its last reply gets a moment to end by itself.
    if (!this.endedWith && !this.problem) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, END_GRACE_MS);
        const unsubscribe = this.onChange(() => this.endedWith && done());
        function done() {
          clearTimeout(timer);
          unsubscribe();
          resolve();
        }
      });
    }
    this.stopping = true;
    if (!this.endedWith) this.running.interrupt();
    await this.running.done;
  }

  private changed(): void {
    this.changes.emit();
  }

  private consoleIO(): ConsoleIO {
    return {
      write: (text) => {
        if (text === '') return;
        this.output += text;
        const mark = text.indexOf(END_MARK);
        const shown = mark < 0 ? text : text.slice(0, mark).replace(/\n$/, '');
        if (shown !== '') this.transcript.programPrinted(shown);
        this.changed();
      },
      readLine: (signal) => this.readLine(signal),
    };
  }

  private async readLine(signal: AbortSignal): Promise<string | null> {
    const mark = this.output.indexOf(END_MARK);
    if (mark >= 0) {
      // The file has ended: what it left open is read before the wrapper lets the process exit.
      const status = Number.parseInt(this.output.slice(mark + END_MARK.length), 10);
      this.output = this.output.slice(0, mark).replace(/\n$/, '');
      const rows = await this.session.call({ op: 'netstat' }).catch(() => [] as NetstatRow[]);
      this.endedWith = { status: Number.isNaN(status) ? -1 : status, leftOpen: rows.filter((r) => r.pid === this.pid) };
      this.transcript.add('check', `the program ended (exit status ${this.endedWith.status})`);
      this.changed();
      return '';
    }
    if (this.stopping) return null;
    const prompt = this.output.slice(this.output.lastIndexOf('\n') + 1);
    let line: string | undefined;
    if (!this.scenario.typedOnly && ADDRESS_PROMPT.test(prompt)) line = LOCALHOST;
    else if (!this.scenario.typedOnly && PORT_PROMPT.test(prompt)) line = String(this.scenario.port);
    else {
      line = this.stdin.shift();
      if (line !== undefined) this.linesTyped++;
    }
    if (line !== undefined) {
      this.transcript.typed(line);
      // A terminal echoes what is typed: the next prompt starts on a line of its own.
      this.output += `${line}\n`;
      return line;
    }
    this.problem ??= new CheckFailure(
      `the program asked for another typed line${prompt ? ` (${JSON.stringify(prompt)})` : ''} after the last one this scenario types; it should ${this.scenario.noMoreInput}`,
    );
    this.transcript.add('check', 'the program asked for a line the scenario does not type');
    this.changed();
    // It waits here until the check stops it (Ctrl-C aborts the read).
    return new Promise((_resolve, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }
}
