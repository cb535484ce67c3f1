// One class as its teacher's page shows it: every lab of the class, its devices, their consoles'
// processes and sockets, who is connected to whom, and whether it is in use or has ended (in
// the order of lab-activity.ts). Each lab's view is read straight from the live registry of the
// process holding it (a class is a few hundred rows), never kept; with --workers N the views
// are gathered from every worker (server/teacher/class-labs.ts) and put in order here.

import type { NetstatRow } from '../../shared/bridge-protocol.ts';
import type { TeacherLab, TeacherSnapshot } from '../../shared/teacher-snapshot.ts';
import type { Lab } from '../lab/lab-registry.ts';
import type { SchoolClass } from '../classes/class-registry.ts';
import type { LabSocket } from '../net/lab-socket.ts';
import { shortBrowserName } from './browser-name.ts';
import { labLinks, labListeners } from './connection-graph.ts';
import { compareLabUse, labRemovalTime, labState } from '../lab/lab-activity.ts';

export interface LabViewSources {
  /** --lab-retention in ms (0: labs are kept), to say when an unused lab goes. */
  labRetentionMs: number;
  netstat(sockets: Iterable<LabSocket>): NetstatRow[];
}

/** One lab as the teacher sees it. */
export function labView(lab: Lab, sources: LabViewSources, now: number): TeacherLab {
  const netstat = sources.netstat;
  const rows = netstat(lab.allSockets());
  const devices = [...lab.devices.values()]
    .sort((a, b) => a.id - b.id)
    .map((d) => ({
      id: d.id,
      address: d.address,
      browser: shortBrowserName(d.browser),
      consoles: d.consoles,
      lastSeen: d.lastSeen,
      processes: [...d.processes.values()].sort((a, b) => a.pid - b.pid).map((p) => ({ pid: p.pid, console: p.console, name: p.name })),
    }));
  return {
    code: lab.code,
    number: lab.number,
    createdAt: lab.createdAt,
    state: labState(lab, now),
    lastActive: lab.lastActive,
    removeAt: labRemovalTime(lab, sources.labRetentionMs),
    devices,
    netstat: rows,
    links: labLinks(rows, devices.map((d) => d.address)),
    listeners: labListeners(rows),
  };
}

/** One class's snapshot: its labs (of this process or gathered from every worker) in the teacher's order. */
export function classSnapshot(schoolClass: SchoolClass, joinUrls: string[], labs: TeacherLab[], now: number): TeacherSnapshot {
  const c = schoolClass;
  return { now, class: { id: c.id, name: c.name, isDefault: c.token === null }, joinUrls, revealAnswers: c.revealAnswers, labs: sortTeacherLabs(labs, now) };
}

/** Labs' views, in the teacher's order (lab-activity.ts). */
export function sortTeacherLabs(labs: TeacherLab[], now: number): TeacherLab[] {
  const use = (l: TeacherLab) => ({ number: l.number, lastActive: l.lastActive, consolesOpen: l.devices.reduce((n, d) => n + d.consoles, 0) });
  return labs.sort((a, b) => compareLabUse(use(a), use(b), now));
}

/** The snapshot without its clock, to tell whether anything a teacher sees has changed. */
export function snapshotFingerprint(snapshot: TeacherSnapshot): string {
  const { now: _now, ...rest } = snapshot;
  return JSON.stringify(rest);
}
