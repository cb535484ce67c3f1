// The page at /lab/CODE when the code names no lab: the way on is a new lab or another code.

import { installHooks } from './test-hooks.ts';

export function showNoSuchLab(root: HTMLElement, code: string): void {
  installHooks(code);
  root.innerHTML = `
<main class="message-page">
  <h1>Socket Lab</h1>
  <p>There is no lab with the code <strong class="missing-code"></strong>.</p>
  <p>Check the code with your partner or teacher, or <a href="/">start a new lab</a>.</p>
</main>`;
  root.querySelector('.missing-code')!.textContent = code;
  document.title = 'No such lab · Socket Lab';
}
