// The teacher's table of Check results: per device (its lab address) and question, the last
// result and when (labs removed after their retention too, marked ended); read from
// GET /api/teacher/checks every few seconds, and the CSV export downloaded with the token (a
// plain link could not send it).

import type { CheckResultRow } from '../../shared/checks/check-report.ts';
import { escapeHtml } from '../common/teacher/html-escape.ts';

/** How often the table is read again while the page is open. */
export const CHECKS_REFRESH_MS = 5000;

export const CHECKS_SECTION = `
<section class="checks-section" aria-labelledby="checks-heading">
  <h2 id="checks-heading">Check results (Questions 6, 8, 9, 10 and our 11)</h2>
  <button type="button" class="checks-csv">Export as CSV</button>
  <table class="class-checks">
    <thead><tr><th scope="col">Lab</th><th scope="col">Device</th><th scope="col">Question</th><th scope="col">Result</th><th scope="col">Scenarios</th><th scope="col">When</th></tr></thead>
    <tbody></tbody>
  </table>
  <p class="no-checks muted">No Check run yet.</p>
</section>`;

export function checkRowsHtml(rows: readonly CheckResultRow[]): string {
  return rows
    .map(
      (r) =>
        `<tr data-lab="${escapeHtml(r.lab)}" data-device="${escapeHtml(r.address)}" data-question="${r.question}" data-passed="${r.passed}">` +
        `<td>${escapeHtml(r.lab)}${r.labEnded ? ' <span class="muted" title="removed after its retention; its results are kept">(ended)</span>' : ''}</td>` +
        `<td>${escapeHtml(r.address)}</td><td>Q${r.question}</td>` +
        `<td>${r.passed ? 'passed' : 'failed'}</td><td>${r.scenariosPassed} of ${r.scenarioCount}</td>` +
        `<td>${escapeHtml(new Date(r.at).toLocaleTimeString())}</td></tr>`,
    )
    .join('');
}

export function startCheckResults(root: HTMLElement, fetchApi: (path: string) => Promise<Response>): () => void {
  const body = root.querySelector('.class-checks tbody')!;
  const none = root.querySelector<HTMLElement>('.no-checks')!;
  let drawn = '';
  const refresh = async () => {
    const res = await fetchApi('/api/teacher/checks').catch(() => null);
    if (!res?.ok) return;
    const html = checkRowsHtml((await res.json()) as CheckResultRow[]);
    if (html === drawn) return;
    drawn = html;
    body.innerHTML = html;
    none.hidden = html !== '';
  };
  root.querySelector('.checks-csv')!.addEventListener('click', async () => {
    const res = await fetchApi('/api/teacher/checks.csv');
    if (!res.ok) return;
    const url = URL.createObjectURL(await res.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = 'socket-lab-checks.csv';
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  });
  void refresh();
  const timer = setInterval(() => void refresh(), CHECKS_REFRESH_MS);
  return () => clearInterval(timer);
}
