// Whether a console waits for the student to type a line, judged by what it shows: Python's
// >>> or ... prompt at the end, or the shell's `ADDRESS$ ` while the shell is at its prompt
// (a program's output may end in "$ " too). The lesson types lines only then: lines typed
// while Python is still loading would be echoed before its banner.

export function waitsForLine(shownText: string, atShellPrompt: boolean): boolean {
  return shownText.endsWith('>>> ') || shownText.endsWith('... ') || (atShellPrompt && shownText.endsWith('$ '));
}
