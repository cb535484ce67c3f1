// The page at /: makes a new lab and goes to it. location.replace, so Back does not return
// here and make yet another lab.

import { installHooks } from './test-hooks.ts';

interface NewLab {
  code: string;
}

function isNewLab(value: unknown): value is NewLab {
  return typeof value === 'object' && value !== null && typeof (value as NewLab).code === 'string' && /^[A-Za-z0-9]{1,32}$/.test((value as NewLab).code);
}

export async function showHomePage(root: HTMLElement): Promise<void> {
  installHooks(null);
  root.innerHTML = `
<main class="message-page">
  <h1>Socket Lab</h1>
  <p class="home-status" role="status">Making a new lab…</p>
  <p><button type="button" class="retry" hidden>Try again</button></p>
</main>`;
  const status = root.querySelector<HTMLElement>('.home-status')!;
  const retry = root.querySelector<HTMLButtonElement>('.retry')!;
  retry.addEventListener('click', () => location.reload(), { once: true });
  try {
    const response = await fetch('/api/labs', { method: 'POST' });
    const body: unknown = await response.json();
    if (!response.ok || !isNewLab(body)) throw new Error(`the server answered ${response.status}`);
    location.replace(`/lab/${body.code}`);
  } catch (err) {
    status.textContent = `Could not make a lab: ${err instanceof Error ? err.message : String(err)}. Is the lab server running?`;
    retry.hidden = false;
  }
}
