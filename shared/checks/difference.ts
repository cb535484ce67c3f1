// The first difference between what a peer expected and what it got, said the way a student
// reads it: both as Python bytes literals, and where they part.

import { pyBytesRepr } from '../py-repr.ts';
import { utf8Encode } from '../utf8.ts';

/** Index of the first byte that differs, or -1 when equal. */
export function firstDifferenceAt(expected: Uint8Array, actual: Uint8Array): number {
  const n = Math.min(expected.length, actual.length);
  for (let i = 0; i < n; i++) if (expected[i] !== actual[i]) return i;
  return expected.length === actual.length ? -1 : n;
}

/** null when equal; else "expected b'WIN\n', received b'LOW\n' (they differ from byte 0)". */
export function describeDifference(expected: Uint8Array, actual: Uint8Array): string | null {
  const at = firstDifferenceAt(expected, actual);
  if (at < 0) return null;
  let where: string;
  if (actual.length === 0) where = 'nothing was received';
  else if (at === actual.length) where = `the received bytes stop after ${pyBytesRepr(actual)}`;
  else if (at === expected.length) where = `extra bytes from byte ${at}: ${pyBytesRepr(actual.subarray(at))}`;
  else where = `they differ from byte ${at}: ${pyBytesRepr(expected.subarray(at))} expected, ${pyBytesRepr(actual.subarray(at))} received`;
  return `expected ${pyBytesRepr(expected)}, received ${pyBytesRepr(actual)} (${where})`;
}

export function describeTextDifference(expected: string, actual: string): string | null {
  return describeDifference(utf8Encode(expected), utf8Encode(actual));
}
