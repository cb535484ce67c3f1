// The class-wide netstat table on the teacher's page: every socket of every lab, one row each.

import type { TeacherLab } from '../../../shared/teacher-snapshot.ts';
import { escapeHtml } from './html-escape.ts';

export function netstatRowsHtml(labs: readonly TeacherLab[]): string {
  const rows: string[] = [];
  for (const lab of labs) {
    for (const r of lab.netstat) {
      const real = r.realPort !== undefined ? ` <span class="muted" title="the real port on this computer">(real ${r.realPort})</span>` : '';
      rows.push(
        `<tr data-lab="${escapeHtml(lab.code)}" data-state="${escapeHtml(r.state)}">` +
          `<td class="mono">${escapeHtml(lab.code)}</td><td class="mono">${escapeHtml(r.device)}</td><td>${escapeHtml(r.proto)}</td>` +
          `<td class="mono">${escapeHtml(r.local)}${real}</td><td class="mono">${escapeHtml(r.foreign)}</td>` +
          `<td>${escapeHtml(r.state)}</td><td class="num">${r.pid}</td></tr>`,
      );
    }
  }
  return rows.join('');
}
