// The names `run` takes, known to both the server (which refuses hidden ones) and the page.

/** The worksheet's Programs 1-11 (tictactoe.py, Program 8, is a library, not a program). */
export const LESSON_PROGRAM_NAMES = [
  'basic_server',
  'basic_client',
  'basic_server_split',
  'basic_client_protocol',
  'basic_server_iterative',
  'chat_server',
  'chat_client',
  'game_server',
  'game_client',
  'guess_client',
] as const;

/** The worksheet's exercise answers (Questions 6, 8, 9, 10): hidden until the teacher reveals them. */
export const ANSWER_PROGRAM_NAMES = [
  'practice_server',
  'practice_client',
  'chat_quit_server',
  'chat_quit_client',
  'game_server_alternative',
  'game_client_alternative',
  'guess_server',
] as const;

/** Console tools that run as programs with their own PID. */
export const TOOL_PROGRAM_NAMES = ['nc'] as const;

/** Students' own Python: a process whose calls come from the Python worker's channel. */
export const PYTHON_PROGRAM_NAME = 'python';

export type ProgramName =
  | (typeof LESSON_PROGRAM_NAMES)[number]
  | (typeof ANSWER_PROGRAM_NAMES)[number]
  | (typeof TOOL_PROGRAM_NAMES)[number]
  | typeof PYTHON_PROGRAM_NAME;

export function isAnswerProgram(name: string): boolean {
  return (ANSWER_PROGRAM_NAMES as readonly string[]).includes(name);
}

export function isKnownProgram(name: string): boolean {
  return (
    name === PYTHON_PROGRAM_NAME ||
    isAnswerProgram(name) ||
    (LESSON_PROGRAM_NAMES as readonly string[]).includes(name) ||
    (TOOL_PROGRAM_NAMES as readonly string[]).includes(name)
  );
}
