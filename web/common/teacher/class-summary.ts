// The teacher's header line: what is live now, never the ended labs that wait for their
// retention (which would have the header count forty labs when five pairs are working).

import type { TeacherLab } from '../../../shared/teacher-snapshot.ts';

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "3 labs in use · 5 devices online · 7 consoles open · 2 connections". */
export function classSummary(labs: readonly TeacherLab[]): string {
  let inUse = 0;
  let online = 0;
  let consoles = 0;
  let links = 0;
  for (const lab of labs) {
    if (lab.state === 'open') inUse++;
    for (const d of lab.devices) {
      if (d.consoles > 0) online++;
      consoles += d.consoles;
    }
    links += lab.links.length;
  }
  return [
    `${count(inUse, 'lab')} in use`,
    `${count(online, 'device')} online`,
    `${count(consoles, 'console')} open`,
    count(links, 'connection'),
  ].join(' · ');
}
