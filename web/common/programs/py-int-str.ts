/**
 * Python's str() of an int that came from int(source), for the built-in programs.
 *
 * pyInt (shared/py-int.ts) returns a JS number, which is exact only up to 2**53. Python's
 * int is unbounded, so `str(int('99999999999999999999'))` is '99999999999999999999' while
 * String(1e20) is '100000000000000000000'. Programs that print or send str(n) back pass
 * the text the int was parsed from; past the safe range the digits are taken from it.
 */

const DECIMAL_DIGIT = /^\p{Nd}$/u;

function isDecimalDigit(codePoint: number): boolean {
  return codePoint >= 0 && DECIMAL_DIGIT.test(String.fromCodePoint(codePoint));
}

/**
 * The value of a Unicode decimal digit (int() accepts any of them). Unicode encodes every
 * set of decimal digits as a contiguous run 0..9, so the value is the position in the run.
 */
function decimalValue(codePoint: number): number {
  let before = 0;
  while (isDecimalDigit(codePoint - before - 1)) before++;
  return before % 10;
}

/**
 * `str(n)` where `n = int(source)` and `value` is pyInt(source). `source` must be text that
 * pyInt accepted (base 10: whitespace, sign, digits and single underscores).
 */
export function pyIntStr(value: number, source: string | Uint8Array): string {
  // Exact: String(-0) is '0', like str(int('-0')).
  if (Number.isSafeInteger(value)) return String(value);
  let digits = '';
  if (typeof source === 'string') {
    for (const ch of source) {
      const codePoint = ch.codePointAt(0)!;
      if (isDecimalDigit(codePoint)) digits += String(decimalValue(codePoint));
    }
  } else {
    // int(bytes) takes ASCII digits only.
    for (const byte of source) if (byte >= 0x30 && byte <= 0x39) digits += String(byte - 0x30);
  }
  digits = digits.replace(/^0+(?=.)/, '');
  return (value < 0 ? '-' : '') + digits;
}
