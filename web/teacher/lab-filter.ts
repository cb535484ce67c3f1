// Which lab cards the teacher's page shows: those whose code contains the filter's text and,
// with "Hide ended labs" on, not the ended ones. A code typed in the filter finds a lab even
// when it has ended: the teacher who types one is looking for that lab.

import type { TeacherLabState } from '../../shared/teacher-snapshot.ts';
import { SafeStorage, type StorageLike } from '../common/safe-storage.ts';

/** The filter box's text as a part of a code: upper case, without spaces or dashes. */
export function normalizeFilter(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '');
}

export function labShown(lab: { code: string; state: TeacherLabState }, filter: string, hideEnded: boolean): boolean {
  if (filter !== '') return lab.code.includes(filter);
  return !(hideEnded && lab.state === 'ended');
}

/** The "Hide ended labs" switch, remembered in this browser (on until the teacher turns it off). */
export const HIDE_ENDED_KEY = 'socketlab.teacher.hideEndedLabs';

export function hideEndedSetting(storage: StorageLike | null): boolean {
  return new SafeStorage(storage).get(HIDE_ENDED_KEY) !== 'off';
}

export function saveHideEndedSetting(storage: StorageLike | null, on: boolean): void {
  // Not remembered (storage blocked): the switch still works on this page.
  new SafeStorage(storage).set(HIDE_ENDED_KEY, on ? 'on' : 'off');
}
