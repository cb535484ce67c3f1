// The page at / (and /join?code=CODE), and a class's join page /class/SLUG: create a lab (in
// the class, for a class's page: its teacher sees it), or join one by its code. Creating goes
// to the new lab with location.assign; joining asks the server whether the lab exists first,
// so a mistyped code gets a plain answer here instead of an empty lab page.

import { installHooks } from './test-hooks.ts';
import type { PublicClass } from '../../shared/class-info.ts';

/** The letters and digits of a lab code (server/lab/lab-registry.ts: no 0/O, 1/I/L). */
export const LAB_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const LAB_CODE_LENGTH = 6;

interface NewLab {
  code: string;
}

function isNewLab(value: unknown): value is NewLab {
  return typeof value === 'object' && value !== null && typeof (value as NewLab).code === 'string' && /^[A-Za-z0-9]{1,32}$/.test((value as NewLab).code);
}

/** A typed code, tidied: upper case, spaces and dashes dropped. */
export function normalizeLabCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '');
}

/** Why a tidied code cannot be a lab code, or null when it can. */
export function labCodeProblem(code: string): string | null {
  if (code === '') return 'Type the lab code first: 6 letters and digits, from your partner or teacher.';
  if (code.length !== LAB_CODE_LENGTH || [...code].some((c) => !LAB_CODE_ALPHABET.includes(c))) {
    return `"${code}" is not a lab code: a lab code is ${LAB_CODE_LENGTH} letters and digits (no 0, 1, I, L or O). Check the code with your partner or teacher.`;
  }
  return null;
}

const HOME_TEMPLATE = `
<main class="message-page home-page">
  <h1>Socket Lab</h1>
  <p class="class-name" hidden></p>
  <section class="home-choice" aria-labelledby="create-heading">
    <h2 id="create-heading">Start your own lab</h2>
    <p>A new lab with its own code; a partner joins it with that code.</p>
    <p><button type="button" class="create-lab">Create a lab</button></p>
    <p class="create-status" role="status"></p>
  </section>
  <section class="home-choice" aria-labelledby="join-heading">
    <h2 id="join-heading">Join a lab</h2>
    <form class="join-form" autocomplete="off" novalidate>
      <label for="join-code">Lab code</label>
      <input id="join-code" name="code" class="join-code" maxlength="12" size="10" placeholder="ABC234"
        autocapitalize="characters" spellcheck="false" aria-describedby="join-status">
      <button type="submit" class="join-button">Join</button>
    </form>
    <p class="join-status" id="join-status" role="alert"></p>
  </section>
</main>`;

function isPublicClass(value: unknown): value is PublicClass {
  return typeof value === 'object' && value !== null && typeof (value as PublicClass).name === 'string';
}

/** A class's page: its name under the title, or why the address names no class. */
async function showClass(root: HTMLElement, slug: string, create: HTMLButtonElement): Promise<void> {
  const line = root.querySelector<HTMLElement>('.class-name')!;
  line.hidden = false;
  try {
    const response = await fetch(`/api/classes/${encodeURIComponent(slug)}`);
    const body: unknown = await response.json();
    if (response.status === 404) {
      line.textContent = `There is no class at this address: ask your teacher for the class's address. You can still join a partner's lab with its code.`;
      line.setAttribute('role', 'alert');
      create.disabled = true;
      return;
    }
    if (!response.ok || !isPublicClass(body)) throw new Error(`the server answered ${response.status}`);
    line.textContent = `Class: ${body.name}`;
    document.title = `Socket Lab: ${body.name}`;
  } catch (err) {
    line.textContent = `Could not find the class: ${err instanceof Error ? err.message : String(err)}. Reload the page to try again.`;
  }
}

/** `classSlug`: the page of a class's join URL (/class/SLUG); its labs are made in that class. */
export async function showHomePage(root: HTMLElement, classSlug: string | null = null): Promise<void> {
  installHooks(null);
  root.innerHTML = HOME_TEMPLATE;
  document.title = 'Socket Lab';
  const create = root.querySelector<HTMLButtonElement>('.create-lab')!;
  const createStatus = root.querySelector<HTMLElement>('.create-status')!;
  const form = root.querySelector<HTMLFormElement>('.join-form')!;
  const input = root.querySelector<HTMLInputElement>('.join-code')!;
  const join = root.querySelector<HTMLButtonElement>('.join-button')!;
  const joinStatus = root.querySelector<HTMLElement>('.join-status')!;

  create.addEventListener('click', async () => {
    create.disabled = true;
    createStatus.textContent = 'Making a new lab…';
    try {
      const response =
        classSlug === null
          ? await fetch('/api/labs', { method: 'POST' })
          : await fetch('/api/labs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ class: classSlug }) });
      const body: unknown = await response.json();
      if (!response.ok || !isNewLab(body)) throw new Error(`the server answered ${response.status}`);
      location.assign(`/lab/${body.code}`);
    } catch (err) {
      createStatus.textContent = `Could not make a lab: ${err instanceof Error ? err.message : String(err)}. Is the lab server running? Try again.`;
      create.disabled = false;
    }
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const code = normalizeLabCode(input.value);
    const problem = labCodeProblem(code);
    if (problem) {
      joinStatus.textContent = problem;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    join.disabled = true;
    joinStatus.textContent = '';
    try {
      const response = await fetch(`/api/labs/${encodeURIComponent(code)}`);
      if (response.status === 404) {
        joinStatus.textContent = `There is no lab with the code ${code}. Check the code with your partner or teacher.`;
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      if (response.status === 429) throw new Error('too many tries: wait a minute, then try again');
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      location.assign(`/lab/${code}`);
    } catch (err) {
      joinStatus.textContent = `Could not join: ${err instanceof Error ? err.message : String(err)}.`;
    } finally {
      join.disabled = false;
    }
  });
  input.addEventListener('input', () => input.removeAttribute('aria-invalid'));

  if (classSlug !== null) await showClass(root, classSlug, create);

  // /join?code=CODE (the lab page's join URL and its QR code): the code typed in for you.
  const given = location.pathname === '/join' ? new URLSearchParams(location.search).get('code') : null;
  if (given) {
    input.value = normalizeLabCode(given).slice(0, 12);
    join.focus();
  }
}
