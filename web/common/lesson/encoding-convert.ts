// The encoding explorer's two directions, pure: text to its code points and its UTF-8 bytes
// as Python prints them, and a bytes literal back to text, as `b'...'.decode()` would.

import { parseBytesLiteral } from '../../../shared/bytes-literal.ts';
import { PyException } from '../../../shared/py-exception.ts';
import { pyBytesRepr, pyStrRepr } from '../../../shared/py-repr.ts';
import { utf8Decode, utf8Encode } from '../../../shared/utf8.ts';

export interface CodePointView {
  /** The character itself. */
  char: string;
  /** 'U+4E2D', as Unicode writes code points. */
  codePoint: string;
  /** Its UTF-8 bytes as a literal, b'\xe4\xb8\xad'. */
  bytes: string;
}

export interface EncodedView {
  /** repr(text), the str literal Python would print. */
  strRepr: string;
  /** len(text): code points. */
  length: number;
  codePoints: CodePointView[];
  /** text.encode() as Python prints it. */
  bytesLiteral: string;
  /** len(text.encode()). */
  byteLength: number;
}

export type Converted<T> = ({ ok: true } & T) | { ok: false; error: string };

/** 'U+4E2D': at least four hex digits, upper case. */
export function codePointLabel(codePoint: number): string {
  return 'U+' + codePoint.toString(16).toUpperCase().padStart(4, '0');
}

function pyError(err: unknown): string {
  if (err instanceof PyException) return `${err.pyType}: ${err.pyMessage}`;
  return err instanceof Error ? err.message : String(err);
}

/** What Python shows for `text`, `len(text)`, and `text.encode()`. */
export function encodeText(text: string): Converted<EncodedView> {
  let encoded: Uint8Array;
  try {
    encoded = utf8Encode(text);
  } catch (err) {
    return { ok: false, error: pyError(err) };
  }
  // A JS string iterates by code point, as a Python str does (a lone surrogate was refused above).
  const codePoints = [...text].map((char) => ({
    char,
    codePoint: codePointLabel(char.codePointAt(0)!),
    bytes: pyBytesRepr(utf8Encode(char)),
  }));
  return { ok: true, strRepr: pyStrRepr(text), length: codePoints.length, codePoints, bytesLiteral: pyBytesRepr(encoded), byteLength: encoded.length };
}

/** A typed bytes literal, decoded: the text, or Python's SyntaxError or UnicodeDecodeError. */
export function decodeLiteral(source: string): Converted<{ text: string; byteLength: number }> {
  const parsed = parseBytesLiteral(source);
  if (!parsed.ok) return parsed;
  try {
    return { ok: true, text: utf8Decode(parsed.bytes), byteLength: parsed.bytes.length };
  } catch (err) {
    return { ok: false, error: pyError(err) };
  }
}
