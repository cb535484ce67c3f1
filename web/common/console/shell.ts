// The console's small shell: prints the prompt (the device's lab address, `10.1.0.2$ `),
// reads a command line through the line discipline and carries it out. `run NAME` and
// `nc ...` start a built-in program, `python [FILE]` the student's own Python; a program
// then owns the console until it ends: the shell reads nothing meanwhile, so the program gets
// every typed line, and Ctrl-C goes to the program's interrupt(). DOM-free: it takes the
// session, the terminal, the device's files and a clear() callback.

import { Emitter, type Disposer } from '../../../shared/emitter.ts';
import { PyException } from '../../../shared/py-exception.ts';
import type { BuiltinProgram } from '../programs/program.ts';
import type { ConsoleIO, RunningProgram } from '../programs/program-runner.ts';
import { parsePythonCommand } from '../python/python-command.ts';
import { splitCommandLine } from './command-line.ts';
import { helpText, programListText, SHELL_COMMANDS, type ShellSession } from './shell-commands.ts';

export type { ShellSession } from './shell-commands.ts';

/** The terminal as the shell sees it: the line discipline. */
export interface ShellTerminal extends ConsoleIO {
  onInterrupt(listener: () => void): () => void;
  /** False when output left the cursor mid-line (the prompt then starts on a new line). */
  readonly atLineStart: boolean;
  /** True while a readLine is waiting (false once Enter has handed its line over). */
  readonly readerWaiting: boolean;
  /** Echoes again what is typed on the current line so far (after the prompt). */
  redrawLine(): void;
}

/** Finds, lists and starts built-in programs (program-registry and program-runner in the page). */
export interface ProgramLauncher {
  find(name: string, revealAnswers: boolean): Promise<BuiltinProgram | null>;
  list(revealAnswers: boolean): Promise<readonly BuiltinProgram[]>;
  start(program: BuiltinProgram, io: ConsoleIO, argv: readonly string[]): Promise<RunningProgram>;
  /** `python ARGS`: the student's Python with the device's files (absent: no Python here). */
  startPython?(io: ConsoleIO, argv: readonly string[], files: Readonly<Record<string, string>>): Promise<RunningProgram>;
}

/** The device's Python files by name, as `python FILE` runs them. */
export type DeviceFilesProvider = () => Readonly<Record<string, string>>;

export interface ShellOptions {
  session: ShellSession;
  terminal: ShellTerminal;
  launcher: ProgramLauncher;
  /** The device's files for `python FILE` (none when absent). */
  files?: DeviceFilesProvider;
  /** Clears the screen and its scrollback. */
  clear(): void;
}

/** prompt: waiting for a command; busy: carrying one out; running: a program owns the console. */
export type ShellState = 'prompt' | 'busy' | 'running' | 'stopped';

export interface ShellStatus {
  state: ShellState;
  /** The running program, while state is 'running'. */
  program: { name: string; pid: number } | null;
}

/** Ctrl-C at the prompt: the read is abandoned and a fresh prompt printed. */
class PromptInterrupted extends Error {}

/** A read the program left waiting when it ended: the next line typed is the shell's. */
class ProgramEnded extends Error {}

/**
 * The console as one program sees it. When the program ends, a read it still has waiting
 * ends too (nc ends when its peer does, with a read of the keyboard under way): otherwise
 * that read would take the next line, typed at the shell's prompt, and drop it.
 */
function programConsole(terminal: ShellTerminal): { io: ConsoleIO; end(): void } {
  const ended = new AbortController();
  return {
    io: {
      write: (text) => terminal.write(text),
      readLine(signal) {
        // The program's own signal or its end, whichever comes first (no AbortSignal.any:
        // the lab's browsers may predate it).
        const read = new AbortController();
        const sources = [signal, ended.signal];
        const onAbort = (event: Event) => read.abort((event.target as AbortSignal).reason);
        for (const source of sources) {
          if (source.aborted) read.abort(source.reason);
          else source.addEventListener('abort', onAbort, { once: true });
        }
        return terminal.readLine(read.signal).finally(() => {
          for (const source of sources) source.removeEventListener('abort', onAbort);
        });
      },
    },
    end: () => ended.abort(new ProgramEnded()),
  };
}

function describe(err: unknown): string {
  if (err instanceof PyException) return err.pyMessage || err.pyType;
  return err instanceof Error ? err.message : String(err);
}

export class Shell {
  private status: ShellStatus = { state: 'busy', program: null };
  private readonly statusChanges = new Emitter<ShellStatus>();
  private promptRead: AbortController | null = null;
  private running: RunningProgram | null = null;
  /** Ctrl-C came after Enter but before the program ran: it is interrupted as soon as it runs. */
  private interruptPending = false;
  private readonly removeInterruptListener: () => void;

  constructor(private readonly options: ShellOptions) {
    this.removeInterruptListener = options.terminal.onInterrupt(() => this.interrupt());
  }

  get prompt(): string {
    return `${this.options.session.welcome.device.address}$ `;
  }

  get state(): ShellStatus {
    return this.status;
  }

  onStateChange(listener: (status: ShellStatus) => void): Disposer {
    return this.statusChanges.on(listener);
  }

  /** The read-run loop; resolves once the shell is stopped. The first prompt is written at once. */
  async start(): Promise<void> {
    const { terminal } = this.options;
    while (!this.stopped) {
      if (!terminal.atLineStart) terminal.write('\n');
      terminal.write(this.prompt);
      this.setStatus('prompt');
      this.interruptPending = false;
      const controller = new AbortController();
      this.promptRead = controller;
      let line: string | null;
      try {
        const reading = terminal.readLine(controller.signal);
        // A line typed ahead while a program ran comes at once: show it after the prompt, as
        // bash does, so that its output does not start on the prompt's line. Otherwise show
        // what is typed of the next line so far (the prompt came after its echo).
        const typedAhead = !terminal.readerWaiting;
        if (!typedAhead) terminal.redrawLine();
        line = await reading;
        if (typedAhead && line !== null && !this.stopped) terminal.write(line.replace(/\t/g, ' ') + '\n');
      } catch {
        continue; // Ctrl-C (already echoed as ^C) or stop()
      } finally {
        this.promptRead = null;
      }
      if (this.stopped) break;
      // Ctrl-D at the prompt: the shell stays (the console's close button closes it).
      if (line === null) continue;
      await this.execute(line);
    }
  }

  get stopped(): boolean {
    return this.status.state === 'stopped';
  }

  /** Types nothing and reads nothing more; a running program is left to the session's end. */
  stop(): void {
    if (this.stopped) return;
    this.setStatus('stopped');
    this.removeInterruptListener();
    this.promptRead?.abort(new PromptInterrupted());
  }

  /** Carries out one command line. */
  async execute(line: string): Promise<void> {
    const words = splitCommandLine(line);
    if ('error' in words) return this.write(`shell: ${words.error}\n`);
    const [name, ...args] = words;
    if (name === undefined) return;
    this.setStatus('busy');
    try {
      if (name === 'run') await this.run(args);
      else if (name === 'nc') await this.runProgram('nc', args, 'nc');
      else if (name === 'python') await this.python(args);
      else if (name === 'help') this.write(helpText());
      else {
        const command = SHELL_COMMANDS.get(name)?.run;
        if (command) await command(args, { session: this.options.session, write: (t) => this.write(t), clear: this.options.clear });
        else this.write(`${name}: command not found (type help)\n`);
      }
    } catch (err) {
      this.write(`${name}: ${describe(err)}\n`);
    }
  }

  private async run(args: readonly string[]): Promise<void> {
    const [name, ...argv] = args;
    const { launcher, session } = this.options;
    if (name === undefined) {
      this.write(programListText(await launcher.list(session.revealAnswers), session.revealAnswers));
      return;
    }
    await this.runProgram(name, argv, 'run');
  }

  private async runProgram(name: string, argv: readonly string[], command: string): Promise<void> {
    const { launcher, session } = this.options;
    const program = await launcher.find(name, session.revealAnswers);
    if (!program) return this.write(`${command}: ${name}: no such program (type run to list them)\n`);
    await this.attend(program.name, (io) => launcher.start(program, io, argv), (err) => {
      // The server refused to start it (a hidden program), or the server went away.
      if (err instanceof PyException && err.pyType === 'run') return `${command}: ${name}: no such program (type run to list them)`;
      return `${command}: ${name}: ${describe(err)}`;
    });
  }

  private async python(args: readonly string[]): Promise<void> {
    const { launcher } = this.options;
    const files = this.options.files?.() ?? {};
    // A missing file is reported at once, without loading Python (as CPython, exit status 2).
    const invocation = parsePythonCommand(args, files);
    if ('error' in invocation) return this.write(invocation.error + '\n');
    if (!launcher.startPython) return this.write('python: Python is not available in this console\n');
    await this.attend('python', (io) => launcher.startPython!(io, args, files), (err) => `python: ${describe(err)}`);
  }

  /** Starts a program and gives it the console until it ends. */
  private async attend(
    name: string,
    start: (io: ConsoleIO) => Promise<RunningProgram>,
    startFailure: (err: unknown) => string,
  ): Promise<void> {
    const { session, terminal } = this.options;
    const view = programConsole(terminal);
    let running: RunningProgram;
    try {
      running = await start(view.io);
    } catch (err) {
      return this.write(startFailure(err) + '\n');
    }
    this.running = running;
    this.setStatus('running', { name, pid: running.pid });
    if (this.interruptPending) running.interrupt();
    let killed = false;
    const stopListening = session.onKill((pid) => (killed ||= pid === running.pid));
    try {
      await running.done;
    } finally {
      stopListening();
      view.end();
      this.running = null;
    }
    // As bash reports a foreground program that `kill` ended (SIGTERM).
    if (killed) this.write(`${terminal.atLineStart ? '' : '\n'}Terminated\n`);
  }

  /**
   * A line that comes by itself (the lab server's notice), printed without spoiling the line
   * being typed: at the prompt it goes above a fresh prompt and the typing so far is shown
   * again, as bash does for a background job's message; while a program runs it is one line
   * of the program's output.
   */
  notice(text: string): void {
    if (this.stopped) return;
    const { terminal } = this.options;
    const atPrompt = this.status.state === 'prompt' && terminal.readerWaiting;
    terminal.write(`${terminal.atLineStart ? '' : '\n'}${text}\n`);
    if (!atPrompt) return;
    terminal.write(this.prompt);
    terminal.redrawLine();
  }

  private interrupt(): void {
    if (this.running) this.running.interrupt();
    else if (this.promptRead && this.options.terminal.readerWaiting) this.promptRead.abort(new PromptInterrupted());
    // A command line is on its way (Enter came first): a program it starts is interrupted at
    // once. A shell command in flight (netstat...) finishes on its own: they are quick.
    else this.interruptPending = true;
  }

  private write(text: string): void {
    if (!this.stopped) this.options.terminal.write(text);
  }

  private setStatus(state: ShellState, program: ShellStatus['program'] = null): void {
    if (this.stopped) return;
    this.status = { state, program };
    this.statusChanges.emit(this.status);
  }
}
