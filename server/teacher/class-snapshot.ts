// One class as its teacher's page shows it: every lab of the class, its devices, their consoles'
// processes and sockets, who is connected to whom, and whether it is in use or has ended (in
// the order of lab-activity.ts). Read straight from the live registry each time (a class is a
// few hundred rows), never kept.

import type { NetstatRow } from '../../shared/bridge-protocol.ts';
import type { TeacherLab, TeacherSnapshot } from '../../shared/teacher-snapshot.ts';
import type { Lab, LabRegistry } from '../lab/lab-registry.ts';
import type { SchoolClass } from '../classes/class-registry.ts';
import type { LabSocket } from '../net/lab-socket.ts';
import { shortBrowserName } from './browser-name.ts';
import { labLinks, labListeners } from './connection-graph.ts';
import { compareLabUse, labRemovalTime, labState } from '../lab/lab-activity.ts';

export interface SnapshotSources {
  registry: Pick<LabRegistry, 'all'>;
  /** --lab-retention in ms (0: labs are kept), to say when an unused lab goes. */
  labRetentionMs: number;
  netstat(sockets: Iterable<LabSocket>): NetstatRow[];
  /** The class shown: its labs alone, its reveal switch. */
  schoolClass: SchoolClass;
  /** The class's join URLs. */
  joinUrls(): string[];
}

function labView(lab: Lab, sources: SnapshotSources, now: number): TeacherLab {
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
  const c = sources.schoolClass;
  const labs = [...sources.registry.all()]
    .filter((lab) => lab.classId === c.id)
    .sort((a, b) => compareLabUse(a, b, now))
    .map((lab) => labView(lab, sources, now));
  return { now, class: { id: c.id, name: c.name, isDefault: c.token === null }, joinUrls: sources.joinUrls(), revealAnswers: c.revealAnswers, labs };
}

/** The snapshot without its clock, to tell whether anything a teacher sees has changed. */
export function snapshotFingerprint(snapshot: TeacherSnapshot): string {
  const { now: _now, ...rest } = snapshot;
  return JSON.stringify(rest);
}
