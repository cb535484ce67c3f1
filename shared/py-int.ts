import { PyException } from './py-exception.ts';
import { pyBytesRepr, pyStrRepr } from './py-repr.ts';

/**
 * Python's `int(x)` in base 10 for str and bytes, with CPython 3.11's acceptance rules and
 * error messages (the worksheet's programs do `int(conn.recv(1024))`-style parsing, and
 * students should see the same ValueError).
 *
 * Returns a JS number: integers beyond Number.MAX_SAFE_INTEGER lose precision (and past
 * ~1.8e308 become ±Infinity), but sign and magnitude survive, so checks like `< 1` or
 * `> 9` still give Python's answer.
 */

/** CPython 3.11's default sys.get_int_max_str_digits(): longer decimal strings are refused. */
export const PY_INT_MAX_STR_DIGITS = 4300;
/** CPython formats the offending value with `%.200R`: its repr is cut to 200 characters. */
const ERROR_REPR_MAX_CHARS = 200;
/** For bytes CPython also keeps only the first 200 bytes before taking the repr. */
const ERROR_BYTES_MAX_BYTES = 200;

/** The whitespace PyLong_FromString skips: C isspace() in the ASCII range, nothing else. */
const ASCII_SPACE = new Set([' ', '\t', '\n', '\v', '\f', '\r']);
/** Non-ASCII characters for which str.isspace() is true; int() treats them as a space. */
const UNICODE_SPACE = /^[\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u;
const DECIMAL_DIGIT = /^\p{Nd}$/u;

/**
 * Value of a Unicode decimal digit (category Nd), or -1. Unicode encodes every decimal
 * digit set as a contiguous run 0..9, and adjacent sets (e.g. the mathematical digits)
 * start at multiples of ten from the run's start, so the offset within the run, mod 10,
 * is the digit value; that avoids carrying a table.
 */
function unicodeDecimalValue(codePoint: number): number {
  if (!DECIMAL_DIGIT.test(String.fromCodePoint(codePoint))) return -1;
  let offset = 0;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(codePoint - offset - 1))) offset++;
  return offset % 10;
}

/**
 * CPython's _PyUnicode_TransformDecimalAndSpaceToASCII: ASCII stays as is, Unicode
 * spaces become ' ', Unicode digits become ASCII digits, anything else becomes '?'
 * (which then cannot parse).
 */
function toAsciiDigitsAndSpaces(text: string): string {
  let out = '';
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    if (codePoint < 0x7f) out += char;
    else if (UNICODE_SPACE.test(char)) out += ' ';
    else {
      const digit = unicodeDecimalValue(codePoint);
      out += digit < 0 ? '?' : String(digit);
    }
  }
  return out;
}

function isAsciiDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

/**
 * PyLong_FromString for base 10 on an ASCII string: the parsed number, or null for an
 * invalid literal. Checks happen in CPython's order, which decides which error wins: a
 * doubled or trailing underscore is an invalid literal, but a too-long digit run is
 * refused before trailing garbage is looked at.
 */
function parseBase10(text: string): number | null {
  let i = 0;
  while (ASCII_SPACE.has(text[i]!)) i++;
  let sign = '';
  if (text[i] === '+' || text[i] === '-') sign = text[i++]!;
  if (text[i] === '_') return null;
  let digits = '';
  let previous = '';
  while (isAsciiDigit(text[i]) || text[i] === '_') {
    if (text[i] === '_') {
      if (previous === '_') return null;
    } else {
      digits += text[i];
    }
    previous = text[i++]!;
  }
  if (previous === '_' || digits.length === 0) return null;
  if (digits.length > PY_INT_MAX_STR_DIGITS) {
    throw new PyException(
      'ValueError',
      `Exceeds the limit (${PY_INT_MAX_STR_DIGITS} digits) for integer string conversion: ` +
        `value has ${digits.length} digits; use sys.set_int_max_str_digits() to increase the limit`,
    );
  }
  while (ASCII_SPACE.has(text[i]!)) i++;
  if (i !== text.length) return null;
  const value = Number(sign + digits);
  return value === 0 ? 0 : value; // Python has no -0: int('-0') is 0.
}

function truncateCodePoints(text: string, maxChars: number): string {
  const chars = Array.from(text);
  return chars.length <= maxChars ? text : chars.slice(0, maxChars).join('');
}

/** Like Python `int(value)`; raises PyException('ValueError', ...) exactly as CPython does. */
export function pyInt(value: string | Uint8Array): number {
  // Bytes are parsed as they are (no Unicode digits or spaces): latin1 keeps one char per byte.
  const ascii =
    typeof value === 'string' ? toAsciiDigitsAndSpaces(value) : Array.from(value, (byte) => String.fromCharCode(byte)).join('');
  const parsed = parseBase10(ascii);
  if (parsed !== null) return parsed;
  const repr = typeof value === 'string' ? pyStrRepr(value) : pyBytesRepr(value.subarray(0, ERROR_BYTES_MAX_BYTES));
  throw new PyException('ValueError', 'invalid literal for int() with base 10: ' + truncateCodePoints(repr, ERROR_REPR_MAX_CHARS));
}
