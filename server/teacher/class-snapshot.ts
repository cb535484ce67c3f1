// The whole class as the teacher's page shows it: every lab, its devices, their consoles'
// processes and sockets, who is connected to whom, and whether it is in use or has ended (in
// the order of lab-activity.ts). Read straight from the live registry each time (a class is a
// few hundred rows), never kept.

import type { NetstatRow } from '../../shared/bridge-protocol.ts';
import type { TeacherLab, TeacherSnapshot } from '../../shared/teacher-snapshot.ts';
import type { Lab, LabRegistry } from '../lab/lab-registry.ts';
import type { LabSocket } from '../net/lab-socket.ts';
import { shortBrowserName } from './browser-name.ts';
import { labLinks, labListeners } from './connection-graph.ts';
import { compareLabUse, labRemovalTime, labState } from '../lab/lab-activity.ts';

export interface SnapshotSources {
  registry: Pick<LabRegistry, 'all'>;
  /** --lab-retention in ms (0: labs are kept), to say when an unused lab goes. */
  labRetentionMs: number;
  netstat(sockets: Iterable<LabSocket>): NetstatRow[];
  revealAnswers(): boolean;
  joinUrls(): string[];
}

/** One lab as the teacher sees it. */
export function labView(lab: Lab, sources: Pick<SnapshotSources, 'labRetentionMs' | 'netstat'>, now: number): TeacherLab {
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

export function classSnapshot(sources: SnapshotSources, now = Date.now()): TeacherSnapshot {
  const labs = [...sources.registry.all()].sort((a, b) => compareLabUse(a, b, now)).map((lab) => labView(lab, sources, now));
  return { now, joinUrls: sources.joinUrls(), revealAnswers: sources.revealAnswers(), labs };
}

/** Labs gathered from several lab workers, in the teacher's order (lab-activity.ts). */
export function sortTeacherLabs(labs: TeacherLab[], now: number): TeacherLab[] {
  const use = (l: TeacherLab) => ({ number: l.number, lastActive: l.lastActive, consolesOpen: l.devices.reduce((n, d) => n + d.consoles, 0) });
  return labs.sort((a, b) => compareLabUse(use(a), use(b), now));
}

/** The snapshot without its clock, to tell whether anything a teacher sees has changed. */
export function snapshotFingerprint(snapshot: TeacherSnapshot): string {
  const { now: _now, ...rest } = snapshot;
  return JSON.stringify(rest);
}
