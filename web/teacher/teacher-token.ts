// The teacher's token on the page: start-up prints /teacher?token=..., the page keeps it in
// this tab's sessionStorage (a reload still works) and takes it out of the address bar, so it
// is not left on a projected screen, in the history's URL, or in a bookmark.

import { SafeStorage, type StorageLike } from '../common/safe-storage.ts';

export const TEACHER_TOKEN_KEY = 'socketlab.teacher.token';
/** What the server accepts as a token (server/config.ts). */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;

export interface TokenPlace {
  pathname: string;
  search: string;
  hash: string;
}

/**
 * The token from ?token= (then stored and removed from the address through `replaceUrl`),
 * or the one stored earlier in this tab, or null.
 */
export function takeTeacherToken(place: TokenPlace, storage: StorageLike | null, replaceUrl: (url: string) => void): string | null {
  const safe = new SafeStorage(storage);
  const params = new URLSearchParams(place.search);
  const given = params.get('token');
  if (given !== null) {
    params.delete('token');
    const search = params.toString();
    replaceUrl(`${place.pathname}${search ? `?${search}` : ''}${place.hash}`);
    if (TOKEN_PATTERN.test(given)) {
      safe.set(TEACHER_TOKEN_KEY, given); // not kept: a reload asks for the URL again
      return given;
    }
  }
  const stored = safe.get(TEACHER_TOKEN_KEY);
  return stored !== null && TOKEN_PATTERN.test(stored) ? stored : null;
}

/** The token was refused (the server restarted with a new one): forget it. */
export function forgetTeacherToken(storage: StorageLike | null): void {
  new SafeStorage(storage).remove(TEACHER_TOKEN_KEY); // refused: nothing was kept anyway
}
