import type { PySocket } from '../net/py-socket.ts';

/**
 * The world a built-in program sees: the console for print/input, the lab's sockets, time
 * and randomness. Built-ins are DOM-free, so tests run them in Node over a real WebSocket.
 */
export interface ProgramIO {
  /** Python's print(*parts): parts joined by ' ', then '\n'. */
  print(...parts: string[]): void;
  /** Raw text to the console, no newline added. */
  write(text: string): void;
  /** Python's input(prompt): writes the prompt, returns the line without its newline.
   * Raises EOFError at end of input, KeyboardInterrupt on Ctrl-C. */
  input(prompt?: string): Promise<string>;
  /** time.sleep(seconds); Ctrl-C raises KeyboardInterrupt. */
  sleep(seconds: number): Promise<void>;
  /** socket.socket() */
  socket(): Promise<PySocket>;
  /** random.randint(a, b), inclusive. */
  randint(a: number, b: number): number;
  /** Command-line arguments after the program name (nc uses them). */
  readonly argv: readonly string[];
}

export interface BuiltinProgram {
  /** What `run NAME` takes. */
  name: string;
  /** The worksheet's file this program mirrors, e.g. 'basic_server.py'. */
  file: string;
  /** Where it is in the worksheet, e.g. 'Program 1' or 'Question 8 (answer)'. */
  lesson: string;
  /** One line for `help` and `run` with no name. */
  summary: string;
  main(io: ProgramIO): Promise<void>;
}
