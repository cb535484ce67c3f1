/**
 * Small helpers for raw byte buffers. Socket data is bytes, like Python's `bytes`,
 * and Uint8Array has no built-in concat/startswith/equality.
 */

/** A new buffer holding `a` followed by `b` (like Python `a + b`). */
export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}

/** Position of the first `byte` at or after `from`, or -1 (like Python `bytes.find`). */
export function indexOfByte(data: Uint8Array, byte: number, from = 0): number {
  return data.indexOf(byte, from);
}

/** True when `data` begins with `prefix` (like Python `bytes.startswith`). */
export function startsWithBytes(data: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > data.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (data[i] !== prefix[i]) return false;
  }
  return true;
}

/**
 * The bytes of an ASCII string, for protocol constants such as `b'MOVE '`.
 * Throws on any character above 0x7f because silently encoding it would hide a bug:
 * Python's b'...' literals cannot contain such characters either.
 */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) {
      throw new Error(`asciiBytes: non-ASCII character U+${code.toString(16).toUpperCase().padStart(4, '0')} at index ${i}`);
    }
    out[i] = code;
  }
  return out;
}

/** True when both buffers hold the same bytes (like Python `a == b`). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return false;
  }
  return true;
}
