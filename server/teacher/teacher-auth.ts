// A teacher's token (the administrator's, --teacher-token, or a class's: see
// server/http/teacher-scope.ts) is the only lock on the teacher's page and API. It comes in an
// `Authorization: Bearer TOKEN` header (never sent by another site's page on its own, so no
// cross-site request can act as the teacher), or, for a stream opened by EventSource, which
// cannot set headers, in ?token= of that one URL.

import { createHash, timingSafeEqual } from 'node:crypto';

/** The token of an `Authorization: Bearer TOKEN` header, or null. */
export function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const m = /^Bearer +(\S+)$/i.exec(value ?? '');
  return m ? m[1]! : null;
}

/**
 * Whether `given` is the token, in time that does not depend on where they differ.
 * Both are hashed first: timingSafeEqual needs equal lengths, and comparing digests
 * tells nothing about the token's length either.
 */
export function tokenMatches(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string' || given === '' || expected === '') return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
