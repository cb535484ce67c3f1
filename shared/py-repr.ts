/**
 * Python's repr() for bytes and str, character for character, so that programs print
 * `b'MOVE 5\n'` or `'héllo\x00'` exactly as CPython would (students compare output).
 */

const BACKSLASH = 0x5c;
const SPACE = 0x20;
const DELETE = 0x7f;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;

/**
 * CPython (3.11) calls a character non-printable when its general category is one of
 * Cc, Cf, Cs, Co, Cn, Zl, Zp or Zs, except the ASCII space (Tools/unicode/makeunicodedata.py).
 * The regex engine's Unicode tables may be a version newer than Python's (3.11 uses
 * Unicode 14), so characters assigned since then are printable here but not in Python.
 */
const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

/** Like Python `str.isprintable()` for one character (one code point). */
export function isPyPrintable(char: string): boolean {
  return char === ' ' || !NON_PRINTABLE.test(char);
}

/** Python's quote choice, shared by str and bytes: single unless only ' appears. */
function chooseQuote(hasSingle: boolean, hasDouble: boolean): string {
  return hasSingle && !hasDouble ? '"' : "'";
}

function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}

/** The escape for a control or special character shared by both reprs, or null. */
function commonEscape(code: number, quoteCode: number): string | null {
  if (code === quoteCode || code === BACKSLASH) return '\\' + String.fromCharCode(code);
  if (code === 0x09) return '\\t';
  if (code === 0x0a) return '\\n';
  if (code === 0x0d) return '\\r';
  if (code < SPACE || code === DELETE) return '\\x' + hex(code, 2);
  return null;
}

/** Exactly Python's `repr(data)` for a bytes object: `b'...'`. */
export function pyBytesRepr(data: Uint8Array): string {
  const quote = chooseQuote(data.includes(SINGLE_QUOTE), data.includes(DOUBLE_QUOTE));
  const quoteCode = quote.charCodeAt(0);
  let body = '';
  for (const byte of data) {
    const escaped = commonEscape(byte, quoteCode);
    if (escaped !== null) body += escaped;
    else if (byte > DELETE) body += '\\x' + hex(byte, 2);
    else body += String.fromCharCode(byte);
  }
  return 'b' + quote + body + quote;
}

/**
 * Exactly Python's `repr(text)`. Iterates by code point, as Python strings are; a lone
 * surrogate in the JS string is a Python surrogate character and comes out as `\udXXX`.
 */
export function pyStrRepr(text: string): string {
  const quote = chooseQuote(text.includes("'"), text.includes('"'));
  const quoteCode = quote.charCodeAt(0);
  let body = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) {
      body += commonEscape(code, quoteCode) ?? char;
    } else if (isPyPrintable(char)) {
      body += char;
    } else if (code <= 0xff) {
      body += '\\x' + hex(code, 2);
    } else if (code <= 0xffff) {
      body += '\\u' + hex(code, 4);
    } else {
      body += '\\U' + hex(code, 8);
    }
  }
  return quote + body + quote;
}

/**
 * Python's `str(addr)` for a socket address tuple: `('127.0.0.1', 50831)`, or the
 * 4-tuple `('::1', 50831, 0, 0)` an AF_INET6 socket reports.
 */
export function pyAddrRepr(addr: readonly [string, number, ...number[]]): string {
  const [host, ...numbers] = addr;
  return '(' + [pyStrRepr(host), ...numbers.map(String)].join(', ') + ')';
}
