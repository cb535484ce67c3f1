// The administrator's Classes panel on the teacher's page: make a class (a name), and the
// list of classes with each one's labs, join URL, teacher's link and a link that opens its
// view on this page (/teacher?class=ID). Shown only to the administrator's token (the server
// refuses these routes to a class's teacher anyway). Read again every few seconds for the labs'
// counts, and at once after a class is made.

import { classNameProblem, MAX_CLASS_NAME_CHARS, tidyClassName } from '../../shared/class-name.ts';
import type { ClassInfo } from '../../shared/class-info.ts';
import { classRowsHtml } from '../common/teacher/class-rows.ts';

/** How often the list is read again while the page is open. */
const CLASSES_REFRESH_MS = 10_000;

export const CLASSES_SECTION = `
<section class="classes-section" aria-labelledby="classes-heading" hidden>
  <h2 id="classes-heading">Classes</h2>
  <p class="muted">Each class has its own join URL, teacher's link, reveal switch and Check results; its teacher sees only its labs.
    Labs made from <b>/</b> are the default class's, shown on this page unless you open another class's view.</p>
  <form class="new-class-form" autocomplete="off" novalidate>
    <label for="new-class-name">New class's name</label>
    <input id="new-class-name" class="new-class-name" maxlength="${MAX_CLASS_NAME_CHARS}" size="24" placeholder="10B Networks" aria-describedby="new-class-status">
    <button type="submit" class="create-class">Create class</button>
  </form>
  <p class="new-class-status" id="new-class-status" role="status"></p>
  <table class="classes-table">
    <thead><tr><th scope="col">Class</th><th scope="col">Labs</th><th scope="col">Students open</th><th scope="col">Teacher's link</th><th scope="col">View</th></tr></thead>
    <tbody></tbody>
  </table>
</section>`;

export type TeacherApi = (method: string, path: string, body?: unknown) => Promise<Response>;

/** Starts the panel in `section` (CLASSES_SECTION); the function it returns stops its refresh. */
export function startClassesPanel(section: HTMLElement, api: TeacherApi, shownId: number): () => void {
  section.hidden = false;
  const body = section.querySelector('.classes-table tbody')!;
  const form = section.querySelector<HTMLFormElement>('.new-class-form')!;
  const input = section.querySelector<HTMLInputElement>('.new-class-name')!;
  const button = section.querySelector<HTMLButtonElement>('.create-class')!;
  const status = section.querySelector<HTMLElement>('.new-class-status')!;
  let drawn = '';
  const refresh = async () => {
    const res = await api('GET', '/api/teacher/classes').catch(() => null);
    if (!res?.ok) return;
    const html = classRowsHtml((await res.json()) as ClassInfo[], shownId);
    // Redrawn only when something changed, so an open teacher's link stays open.
    if (html === drawn) return;
    drawn = html;
    body.innerHTML = html;
  };
  const refuse = (message: string) => {
    status.textContent = message;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = tidyClassName(input.value);
    const problem = classNameProblem(name);
    if (problem) return refuse(problem);
    button.disabled = true;
    status.textContent = `Making the class ${name}…`;
    try {
      const res = await api('POST', '/api/teacher/classes', { name });
      const answer = (await res.json()) as ClassInfo | { error: string };
      if ('error' in answer) return refuse(answer.error);
      if (!res.ok) throw new Error(`the server answered ${res.status}`);
      input.value = '';
      input.removeAttribute('aria-invalid');
      status.textContent = `Class ${answer.name} is made: its students open ${answer.joinUrls[0] ?? ''}; give its teacher the teacher's link below.`;
      await refresh();
    } catch (err) {
      status.textContent = `Could not make the class: ${err instanceof Error ? err.message : String(err)}.`;
    } finally {
      button.disabled = false;
    }
  });
  input.addEventListener('input', () => input.removeAttribute('aria-invalid'));
  // A teacher's link is selected whole when focused, to copy (the clipboard API needs https).
  body.addEventListener('focusin', (e) => {
    if (e.target instanceof HTMLInputElement) e.target.select();
  });
  void refresh();
  const timer = setInterval(() => void refresh(), CLASSES_REFRESH_MS);
  return () => clearInterval(timer);
}
