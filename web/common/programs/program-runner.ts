// Runs a built-in program in a console: spawns its process on the server, gives it a
// ProgramIO over the console and the bridge, prints its failure as CPython's last traceback
// line, and ends the process (closing its sockets) however it ends.

import { PyException } from '../../../shared/py-exception.ts';
import type { BridgeSession } from '../bridge/bridge-session.ts';
import type { BuiltinProgram, ProgramIO } from './program.ts';
import { ProgramProcess } from './program-process.ts';

/** The console as a program sees it (the shell's line discipline provides it). */
export interface ConsoleIO {
  write(text: string): void;
  /** The next typed line without its newline; null at end of input (Ctrl-D).
   * Rejects with signal.reason once the signal aborts. */
  readLine(signal: AbortSignal): Promise<string | null>;
}

export interface RunOptions {
  argv?: readonly string[];
  /** random.random() for the program (tests make it deterministic). */
  random?: () => number;
}

export interface RunningProgram {
  readonly pid: number;
  /** Ctrl-C. */
  interrupt(): void;
  /** Resolves once the program's own code runs (a Python program's once Python has loaded),
   * or once it has ended without running: a check's step limits count from there. */
  readonly started: Promise<void>;
  /** Resolves when the program has ended and its sockets are closed. */
  readonly done: Promise<void>;
}

function programIO(process: ProgramProcess, io: ConsoleIO, options: RunOptions): ProgramIO {
  const random = options.random ?? Math.random;
  // What the program has read is told to the server before anything it shows: once a student
  // (or a test) sees that it read, a kill from another console closes with FIN, not a reset.
  const show = (text: string) => {
    process.session.flushCredits();
    io.write(text);
  };
  return {
    argv: options.argv ?? [],
    print: (...parts) => show(parts.join(' ') + '\n'),
    write: show,
    async input(prompt = '') {
      if (prompt) show(prompt);
      else process.session.flushCredits();
      const line = await process.wait(io.readLine(process.signal));
      if (line === null) throw new PyException('EOFError', 'EOF when reading a line');
      return line;
    },
    async sleep(seconds) {
      // The pause starts once what the program sent is on the wire (see BridgeSocket.written).
      await process.wait(process.written());
      await process.wait(new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000)));
    },
    socket: () => process.socket(),
    randint: (a, b) => a + Math.floor(random() * (b - a + 1)),
  };
}

export async function startProgram(
  program: BuiltinProgram,
  session: BridgeSession,
  io: ConsoleIO,
  options: RunOptions = {},
): Promise<RunningProgram> {
  const process = await ProgramProcess.spawn(session, program.name, options.argv ?? []);
  const stopListening = session.onKill((pid) => {
    if (pid === process.pid) process.terminate();
  });
  const done = (async () => {
    try {
      await program.main(programIO(process, io, options));
    } catch (err) {
      const line = ProgramProcess.describeFailure(err);
      if (line !== null) io.write(line + '\n');
    } finally {
      stopListening();
      process.finish();
      await process.exit();
    }
  })();
  return { pid: process.pid, interrupt: () => process.interrupt(), started: Promise.resolve(), done };
}
