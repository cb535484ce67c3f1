/**
 * Reads a Python bytes literal (`b'\xe4\xb8\xad'`) as Python's parser does, for the lesson's
 * encoding explorer: the student types the literal a program printed and sees it decoded.
 * Errors carry CPython's own wording (3.11) so the explorer says what Python would. One
 * difference on purpose: an unknown escape such as `\q` is only a warning in Python (which
 * keeps the backslash); here it is refused, since a student typing it almost always meant
 * something else.
 */

export type BytesLiteralResult = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

const PREFIX = /^([bB][rR]?|[rR][bB])/;
const OCTAL_DIGIT = /[0-7]/;
const HEX_PAIR = /^[0-9a-fA-F]{2}$/;
/** The highest value an octal escape may have in a bytes literal (\377). */
const MAX_OCTAL_ESCAPE = 0o377;

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  '\\': 0x5c,
  "'": 0x27,
  '"': 0x22,
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
};

function syntaxError(message: string): BytesLiteralResult {
  return { ok: false, error: `SyntaxError: ${message}` };
}

/** The literal's text without its prefix and quotes, or why it is not one literal. */
function splitLiteral(source: string): { raw: boolean; body: string } | { error: string } {
  const prefix = PREFIX.exec(source)?.[0];
  if (prefix === undefined) return { error: "a bytes literal starts with b and a quote: b'...'" };
  const rest = source.slice(prefix.length);
  const quote = rest.startsWith("'''") || rest.startsWith('"""') ? rest.slice(0, 3) : rest.charAt(0);
  if (quote !== "'" && quote !== '"' && quote.length !== 3) return { error: 'invalid syntax' };
  const raw = /[rR]/.test(prefix);
  // Find the closing quote, stepping over escaped characters (a raw literal escapes too:
  // r'\'' is a backslash and a quote).
  let i = quote.length;
  while (i < rest.length) {
    if (rest.startsWith(quote, i)) break;
    const char = rest[i]!;
    if (char === '\n' && quote.length === 1) return { error: 'unterminated string literal (detected at line 1)' };
    i += char === '\\' ? 2 : 1;
  }
  if (i >= rest.length) {
    return { error: quote.length === 3 ? 'unterminated triple-quoted string literal (detected at line 1)' : 'unterminated string literal (detected at line 1)' };
  }
  if (rest.slice(i + quote.length).trim() !== '') return { error: 'invalid syntax' };
  return { raw, body: rest.slice(quote.length, i) };
}

/** Like `eval(source)` for one bytes literal (surrounding spaces allowed). */
export function parseBytesLiteral(source: string): BytesLiteralResult {
  const split = splitLiteral(source.trim());
  if ('error' in split) return syntaxError(split.error);
  const { raw, body } = split;
  for (const char of body) {
    if (char.codePointAt(0)! > 0x7f) return syntaxError('bytes can only contain ASCII literal characters');
  }
  const out: number[] = [];
  let i = 0;
  while (i < body.length) {
    const char = body[i]!;
    if (char !== '\\' || raw) {
      out.push(char.charCodeAt(0));
      i++;
      continue;
    }
    const escape = body[i + 1]!;
    if (escape === '\n') {
      i += 2; // a line continuation: neither character is in the bytes
    } else if (escape in SIMPLE_ESCAPES) {
      out.push(SIMPLE_ESCAPES[escape]!);
      i += 2;
    } else if (escape === 'x') {
      const digits = body.slice(i + 2, i + 4);
      if (!HEX_PAIR.test(digits)) return syntaxError(`(value error) invalid \\x escape at position ${i}`);
      out.push(parseInt(digits, 16));
      i += 4;
    } else if (OCTAL_DIGIT.test(escape)) {
      let end = i + 1;
      while (end < i + 4 && end < body.length && OCTAL_DIGIT.test(body[end]!)) end++;
      const value = parseInt(body.slice(i + 1, end), 8);
      if (value > MAX_OCTAL_ESCAPE) return syntaxError(`invalid octal escape sequence '${body.slice(i, end)}'`);
      out.push(value);
      i = end;
    } else {
      return syntaxError(`invalid escape sequence '\\${escape}'`);
    }
  }
  return { ok: true, bytes: Uint8Array.from(out) };
}
