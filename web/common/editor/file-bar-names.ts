// The names the editor's file bar offers and takes: a new file is untitled.py (untitled2.py...
// when taken), and a name typed without .py gets it, so that "server" makes server.py.

/** untitled.py, or untitled2.py... whichever is not taken. */
export function untitledName(taken: Iterable<string>): string {
  const names = new Set(taken);
  for (let n = 1; ; n++) {
    const name = n === 1 ? 'untitled.py' : `untitled${n}.py`;
    if (!names.has(name)) return name;
  }
}

/** The typed name, trimmed, with .py added when it is missing (nothing typed stays ''). */
export function typedFileName(typed: string): string {
  const name = typed.trim();
  return name !== '' && !name.endsWith('.py') ? name + '.py' : name;
}
