// Splits a typed command line into words, as a shell does for the simple cases a student
// types: words between spaces or tabs, and 'single' or "double" quotes to keep spaces in one
// word (nc's arguments, say). No variables, globs or escapes: nothing here needs them.

export type Words = string[] | { error: string };

export function splitCommandLine(line: string): Words {
  const words: string[] = [];
  let word: string | null = null;
  let quote: '"' | "'" | null = null;
  for (const char of line) {
    if (quote !== null) {
      if (char === quote) quote = null;
      else word += char;
    } else if (char === ' ' || char === '\t') {
      if (word !== null) words.push(word);
      word = null;
    } else if (char === '"' || char === "'") {
      quote = char;
      word ??= '';
    } else {
      word = (word ?? '') + char;
    }
  }
  if (quote !== null) return { error: `unexpected end of line: the ${quote} is never closed` };
  if (word !== null) words.push(word);
  return words;
}
