// `python [FILE] [ARGS]` as the console's shell reads it, before any Python is loaded: which
// of the device's files runs (they sit in PYTHON_HOME, the program's working directory) and
// its sys.argv, or CPython's own complaint about a file that is not there. Pure.

import { PYTHON_HOME } from './worker-messages.ts';

export interface PythonInvocation {
  /** A file of the device, by name; null for the interactive >>> prompt. */
  script: string | null;
  /** sys.argv: the file as typed, then its arguments ([''] at the prompt, as CPython). */
  argv: string[];
}

/** Options accepted and ignored: -u (unbuffered) changes nothing a console shows. */
const IGNORED_OPTIONS = new Set(['-u']);

/** An absolute path with '.', '..' and repeated slashes resolved, as the kernel reads it. */
export function resolvePythonPath(path: string): string {
  const parts: string[] = [];
  for (const part of (path.startsWith('/') ? path : `${PYTHON_HOME}/${path}`).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

export function parsePythonCommand(
  args: readonly string[],
  files: Readonly<Record<string, string>>,
): PythonInvocation | { error: string } {
  let at = 0;
  while (at < args.length && IGNORED_OPTIONS.has(args[at]!)) at++;
  const [file, ...rest] = args.slice(at);
  if (file === undefined) return { script: null, argv: [''] };
  if (file.startsWith('-')) {
    return { error: `python: option ${file} is not available here (type python FILE [ARGS], or python alone for >>>)` };
  }
  const path = resolvePythonPath(file);
  const name = path.slice(PYTHON_HOME.length + 1);
  if (path.startsWith(`${PYTHON_HOME}/`) && !name.includes('/') && Object.hasOwn(files, name)) {
    return { script: name, argv: [file, ...rest] };
  }
  return { error: `python: can't open file '${path}': [Errno 2] No such file or directory` };
}
