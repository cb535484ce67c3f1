// The administrator's table of classes (web/teacher/classes-panel.ts) as HTML: per class its
// name, labs, join URL, its teacher's link (folded away: the administrator's page may be on a
// projector, and a teacher's link is that teacher's key) and the link that opens its view on
// this page. DOM-free, so it is tested without a browser.

import type { ClassInfo } from '../../../shared/class-info.ts';
import { escapeHtml } from './html-escape.ts';

/** The administrator's page showing one class: /teacher for the default class, /teacher?class=ID for another. */
export function classViewPath(c: Pick<ClassInfo, 'id' | 'isDefault'>): string {
  return c.isDefault ? '/teacher' : `/teacher?class=${c.id}`;
}

export function classRowsHtml(classes: readonly ClassInfo[], shownId: number): string {
  return classes
    .map((c) => {
      const join = c.joinUrls[0] ?? '';
      const shown = c.id === shownId;
      const teacher =
        c.teacherUrl === null
          ? '<span class="muted">yours (the administrator\'s)</span>'
          : `<details class="teacher-link"><summary>Show the teacher's link<span class="visually-hidden"> of ${escapeHtml(c.name)}</span></summary>` +
            `<input type="text" readonly class="mono teacher-url" size="40" value="${escapeHtml(c.teacherUrl)}" aria-label="Teacher's link of ${escapeHtml(c.name)}"></details>`;
      return (
        `<tr data-class="${c.id}"${shown ? ' aria-current="page"' : ''}>` +
        `<th scope="row">${escapeHtml(c.name)}${c.revealAnswers ? ' <span class="muted">(answers revealed)</span>' : ''}</th>` +
        `<td>${c.labs}</td>` +
        `<td><a class="mono class-join-url" href="${escapeHtml(join)}">${escapeHtml(join)}</a></td>` +
        `<td>${teacher}</td>` +
        `<td>${shown ? '<span class="muted">shown on this page</span>' : `<a class="open-class" href="${escapeHtml(classViewPath(c))}">Open its view<span class="visually-hidden">: ${escapeHtml(c.name)}</span></a>`}</td>` +
        '</tr>'
      );
    })
    .join('');
}
