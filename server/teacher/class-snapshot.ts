// The whole class as the teacher's page shows it: every lab, its devices, their consoles'
// processes and sockets, and who is connected to whom. Read straight from the live registry
// each time (a class is a few hundred rows), never kept.

import type { NetstatRow } from '../../shared/bridge-protocol.ts';
import type { TeacherLab, TeacherSnapshot } from '../../shared/teacher-snapshot.ts';
import type { Lab, LabRegistry } from '../lab/lab-registry.ts';
import type { LabSocket } from '../net/lab-socket.ts';
import { shortBrowserName } from './browser-name.ts';
import { labLinks, labListeners } from './connection-graph.ts';

export interface SnapshotSources {
  registry: Pick<LabRegistry, 'all'>;
  netstat(sockets: Iterable<LabSocket>): NetstatRow[];
  revealAnswers(): boolean;
  joinUrls(): string[];
}

function labView(lab: Lab, netstat: SnapshotSources['netstat']): TeacherLab {
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
    devices,
    netstat: rows,
    links: labLinks(rows, devices.map((d) => d.address)),
    listeners: labListeners(rows),
  };
}

export function classSnapshot(sources: SnapshotSources, now = Date.now()): TeacherSnapshot {
  const labs = [...sources.registry.all()].sort((a, b) => a.number - b.number).map((lab) => labView(lab, sources.netstat));
  return { now, joinUrls: sources.joinUrls(), revealAnswers: sources.revealAnswers(), labs };
}

/** The snapshot without its clock, to tell whether anything a teacher sees has changed. */
export function snapshotFingerprint(snapshot: TeacherSnapshot): string {
  const { now: _now, ...rest } = snapshot;
  return JSON.stringify(rest);
}
