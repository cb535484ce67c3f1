// What a lab's use makes it, for the teacher's page and for the sweep that removes labs
// (lab-retention.ts). A console open is the only sign of use the server has: a closed tab, a
// shut laptop (the heartbeat cuts it) and a console left idle for --idle-timeout all end one.
// Pure, so the rules are tested on numbers.

import type { TeacherLabState } from '../../shared/teacher-snapshot.ts';

/**
 * No console for this long and a lab has ended on the teacher's page (the "Hide ended labs"
 * switch hides it): long enough for a reload, a laptop carried to another desk or a Wi-Fi
 * drop, short enough that labs of the last lesson are out of the way at the next.
 */
export const LAB_ENDED_AFTER_MS = 15 * 60_000;

/**
 * A lab whose last console closed this recently still sorts with the labs in use, so that a
 * student's reload (a console closes, another opens a second later) does not move its card.
 */
export const RECONNECT_GRACE_MS = 60_000;

/** What the sort and the states read of a lab. */
export interface LabUse {
  number: number;
  consolesOpen: number;
  /** ms since the epoch: see Lab.lastActive. */
  lastActive: number;
}

/** 'open': a console is open; 'idle': none, for less than LAB_ENDED_AFTER_MS; 'ended': longer. */
export function labState(lab: LabUse, now: number): TeacherLabState {
  if (lab.consolesOpen > 0) return 'open';
  return now - lab.lastActive < LAB_ENDED_AFTER_MS ? 'idle' : 'ended';
}

/** Whether the sweep removes it: no console open for the retention (0 keeps every lab). */
export function labExpired(lab: LabUse, now: number, retentionMs: number): boolean {
  return retentionMs > 0 && lab.consolesOpen === 0 && now - lab.lastActive >= retentionMs;
}

/** When the sweep will remove it if nobody opens it, or null (a console is open, or labs are kept). */
export function labRemovalTime(lab: LabUse, retentionMs: number): number | null {
  return retentionMs > 0 && lab.consolesOpen === 0 ? lab.lastActive + retentionMs : null;
}

/**
 * The teacher's order: labs in use first (a console open, or closed within the reconnect
 * grace), in the order they were made so their cards stay put while the class works; then
 * the others, most recently used first.
 */
export function compareLabUse(a: LabUse, b: LabUse, now: number): number {
  const inUse = (l: LabUse) => l.consolesOpen > 0 || now - l.lastActive < RECONNECT_GRACE_MS;
  const aInUse = inUse(a);
  const bInUse = inUse(b);
  if (aInUse !== bInUse) return aInUse ? -1 : 1;
  if (aInUse) return a.number - b.number;
  return b.lastActive - a.lastActive || b.number - a.number;
}
