import { PyException } from './py-exception.ts';

/**
 * UTF-8 encoding and decoding with CPython's exact behaviour: strict decoding raises
 * UnicodeDecodeError with the same message, position and range CPython reports, and
 * lossy decoding puts U+FFFD exactly where Python's errors='replace' does.
 * (TextEncoder/TextDecoder are not used: they are not in ES2022, their error placement
 * follows WHATWG rather than CPython, and they cannot say *why* a byte is invalid.)
 */

const REPLACEMENT_CHARACTER = 0xfffd;
/** Flush decoded UTF-16 units to a string in slices of this size to bound argument counts. */
const STRING_FLUSH_UNITS = 4096;

type ErrorMode = 'strict' | 'replace';

interface DecodeResult {
  text: string;
  /** Bytes turned into text; the rest is an incomplete character kept for the next chunk. */
  consumedBytes: number;
}

/** Collects UTF-16 code units and joins them into a string without huge argument lists. */
class StringBuilder {
  private parts: string[] = [];
  private units: number[] = [];

  pushCodePoint(codePoint: number): void {
    if (codePoint < 0x10000) {
      this.units.push(codePoint);
    } else {
      const offset = codePoint - 0x10000;
      this.units.push(0xd800 + (offset >> 10), 0xdc00 + (offset & 0x3ff));
    }
    if (this.units.length >= STRING_FLUSH_UNITS) this.flush();
  }

  private flush(): void {
    this.parts.push(String.fromCharCode(...this.units));
    this.units = [];
  }

  toString(): string {
    this.flush();
    return this.parts.join('');
  }
}

function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

function decodeErrorMessage(data: Uint8Array, start: number, end: number, reason: string): string {
  if (end - start === 1) {
    const hex = data[start]!.toString(16).padStart(2, '0');
    return `'utf-8' codec can't decode byte 0x${hex} in position ${start}: ${reason}`;
  }
  return `'utf-8' codec can't decode bytes in position ${start}-${end - 1}: ${reason}`;
}

/**
 * The decoding loop, a transcription of CPython's stringlib utf8_decode plus the error
 * handling in unicode_decode_utf8. Its quirks matter for matching messages:
 *  - the error range for a bad sequence covers the lead byte and the *valid* continuation
 *    bytes before the bad one ("bytes in position 0-1: invalid continuation byte");
 *  - overlongs (E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code points past
 *    U+10FFFF (F4 90..BF) are blamed on the second byte as an invalid *continuation*;
 *    C0, C1 and F5..FF are invalid *start* bytes;
 *  - a truncated sequence at the end is one error spanning all remaining bytes
 *    ("unexpected end of data"), unless the bytes so far are already impossible.
 * With `final` false (incremental decoding) a possibly-valid truncated tail is left
 * unconsumed instead, exactly like codecs.utf_8_decode(data, errors, False).
 */
function decode(data: Uint8Array, mode: ErrorMode, final: boolean): DecodeResult {
  const out = new StringBuilder();
  const length = data.length;
  let i = 0;
  while (i < length) {
    const b0 = data[i]!;
    if (b0 < 0x80) {
      out.pushCodePoint(b0);
      i++;
      continue;
    }
    const available = length - i;
    const b1 = available > 1 ? data[i + 1]! : 0;
    const b2 = available > 2 ? data[i + 2]! : 0;
    const b3 = available > 3 ? data[i + 3]! : 0;
    // Length of the erroneous range, or 0 for a truncated tail, or -1 when valid.
    let errorLength: number;
    let reason = 'invalid continuation byte';
    let sequenceLength = 0;
    if (b0 < 0xc2) {
      errorLength = 1;
      reason = 'invalid start byte';
    } else if (b0 < 0xe0) {
      sequenceLength = 2;
      if (available < 2) errorLength = 0;
      else if (!isContinuation(b1)) errorLength = 1;
      else errorLength = -1;
    } else if (b0 < 0xf0) {
      sequenceLength = 3;
      const badSecond = !isContinuation(b1) || (b0 === 0xe0 && b1 < 0xa0) || (b0 === 0xed && b1 >= 0xa0);
      if (available < 2) errorLength = 0;
      else if (badSecond) errorLength = 1;
      else if (available < 3) errorLength = 0;
      else if (!isContinuation(b2)) errorLength = 2;
      else errorLength = -1;
    } else if (b0 < 0xf5) {
      sequenceLength = 4;
      const badSecond = !isContinuation(b1) || (b0 === 0xf0 && b1 < 0x90) || (b0 === 0xf4 && b1 >= 0x90);
      if (available < 2) errorLength = 0;
      else if (badSecond) errorLength = 1;
      else if (available < 3) errorLength = 0;
      else if (!isContinuation(b2)) errorLength = 2;
      else if (available < 4) errorLength = 0;
      else if (!isContinuation(b3)) errorLength = 3;
      else errorLength = -1;
    } else {
      errorLength = 1;
      reason = 'invalid start byte';
    }

    if (errorLength === -1) {
      if (sequenceLength === 2) out.pushCodePoint(((b0 & 0x1f) << 6) | (b1 & 0x3f));
      else if (sequenceLength === 3) out.pushCodePoint(((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f));
      else out.pushCodePoint(((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f));
      i += sequenceLength;
      continue;
    }
    if (!final) {
      // CPython also waits on a truncated ED A0..BF (a surrogate's first two bytes) so that
      // the surrogatepass handler can see the whole thing; mirrored for identical chunking.
      const truncatedSurrogate = b0 === 0xed && available === 2 && b1 >= 0xa0 && b1 <= 0xbf;
      if (errorLength === 0 || truncatedSurrogate) break;
    }
    let errorEnd = i + errorLength;
    if (errorLength === 0) {
      errorEnd = length;
      reason = 'unexpected end of data';
    }
    if (mode === 'strict') {
      throw new PyException('UnicodeDecodeError', decodeErrorMessage(data, i, errorEnd, reason));
    }
    out.pushCodePoint(REPLACEMENT_CHARACTER);
    i = errorEnd;
  }
  return { text: out.toString(), consumedBytes: i };
}

/** Like Python `data.decode()`: strict, raising UnicodeDecodeError on the first bad byte. */
export function utf8Decode(data: Uint8Array): string {
  return decode(data, 'strict', true).text;
}

/** Like Python `data.decode(errors='replace')`: one U+FFFD per bad sequence. */
export function utf8DecodeLossy(data: Uint8Array): string {
  return decode(data, 'replace', true).text;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/**
 * Like Python `text.encode()`. A JS string's lone surrogates are the Python string's
 * surrogate code points, which UTF-8 refuses; positions in the error count code points
 * (a surrogate pair is one Python character), and a run of adjacent lone surrogates is
 * reported as one range, as CPython does.
 */
export function utf8Encode(text: string): Uint8Array {
  const bytes: number[] = [];
  let codePointIndex = 0;
  for (let i = 0; i < text.length; i++, codePointIndex++) {
    const unit = text.charCodeAt(i);
    let codePoint = unit;
    if (isHighSurrogate(unit) && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
      codePoint = 0x10000 + ((unit - 0xd800) << 10) + (text.charCodeAt(i + 1) - 0xdc00);
      i++;
    } else if (isHighSurrogate(unit) || isLowSurrogate(unit)) {
      throw new PyException('UnicodeEncodeError', surrogateErrorMessage(text, i, codePointIndex));
    }
    if (codePoint < 0x80) {
      bytes.push(codePoint);
    } else if (codePoint < 0x800) {
      bytes.push(0xc0 | (codePoint >> 6), 0x80 | (codePoint & 0x3f));
    } else if (codePoint < 0x10000) {
      bytes.push(0xe0 | (codePoint >> 12), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f));
    } else {
      bytes.push(
        0xf0 | (codePoint >> 18),
        0x80 | ((codePoint >> 12) & 0x3f),
        0x80 | ((codePoint >> 6) & 0x3f),
        0x80 | (codePoint & 0x3f),
      );
    }
  }
  return Uint8Array.from(bytes);
}

/** The message for the run of lone surrogates starting at UTF-16 index `unitIndex`. */
function surrogateErrorMessage(text: string, unitIndex: number, codePointIndex: number): string {
  // Extend over following lone surrogates; a valid pair ends the run (it is one character).
  let runLength = 1;
  for (let j = unitIndex + 1; j < text.length; j++) {
    const unit = text.charCodeAt(j);
    const startsPair = isHighSurrogate(unit) && j + 1 < text.length && isLowSurrogate(text.charCodeAt(j + 1));
    if (startsPair || !(isHighSurrogate(unit) || isLowSurrogate(unit))) break;
    runLength++;
  }
  if (runLength === 1) {
    const hex = text.charCodeAt(unitIndex).toString(16);
    return `'utf-8' codec can't encode character '\\u${hex}' in position ${codePointIndex}: surrogates not allowed`;
  }
  const last = codePointIndex + runLength - 1;
  return `'utf-8' codec can't encode characters in position ${codePointIndex}-${last}: surrogates not allowed`;
}

/**
 * Incremental lossy decoder for showing a byte stream as it arrives: a character split
 * across chunks is held back until its last byte comes, so it is never shown as two
 * U+FFFD. Behaves like codecs.getincrementaldecoder('utf-8')(errors='replace').
 */
export class Utf8StreamDecoder {
  /** At most 3 bytes: the start of a character that may still complete. */
  private pendingBytes: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): string {
    let data = chunk;
    if (this.pendingBytes.length > 0) {
      data = new Uint8Array(this.pendingBytes.length + chunk.length);
      data.set(this.pendingBytes, 0);
      data.set(chunk, this.pendingBytes.length);
    }
    const { text, consumedBytes } = decode(data, 'replace', false);
    this.pendingBytes = data.slice(consumedBytes);
    return text;
  }

  /** End of stream: a still-incomplete character becomes U+FFFD. */
  end(): string {
    const { text } = decode(this.pendingBytes, 'replace', true);
    this.pendingBytes = new Uint8Array(0);
    return text;
  }
}
