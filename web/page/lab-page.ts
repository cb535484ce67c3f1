// The lab page at /lab/CODE: a header with the lab's code and this device's lab address, and
// consoles side by side (two per row, more wrap), each its own process on this device. Every
// tab of this browser is the same device (the key in localStorage); another browser is another.

import type { Welcome } from '../../shared/bridge-protocol.ts';
import { XtermConsole } from '../console/xterm-console.ts';
import { browserStorage, deviceKeyFor } from './device-key.ts';
import { bridgeUrl } from './page-route.ts';
import { installHooks, type SocketLabHooks } from './test-hooks.ts';

const LAB_TEMPLATE = `
<header class="lab-header">
  <a class="brand" href="/" title="Start a new lab">Socket Lab</a>
  <dl class="lab-facts">
    <div><dt>Lab</dt><dd class="lab-code"></dd></div>
    <div><dt>This device</dt><dd class="lab-address">…</dd></div>
    <div class="lab-share"><dt>Partner's link</dt><dd><a class="lab-link"></a></dd></div>
  </dl>
  <form class="join-lab" autocomplete="off">
    <label>Join lab <input name="code" size="8" maxlength="32" pattern="[A-Za-z0-9]+" placeholder="CODE" aria-label="Lab code to join" required></label>
    <button type="submit">Join</button>
  </form>
  <button type="button" class="new-console">New console</button>
</header>
<div class="banner" role="alert" hidden></div>
<main class="consoles"></main>
<p class="no-consoles" hidden>No console is open. <button type="button" class="new-console">New console</button></p>
`;

class LabPage {
  private readonly hooks: SocketLabHooks;
  private readonly consolesArea: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly deviceKey: string;
  private serverGone = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly code: string,
  ) {
    root.innerHTML = LAB_TEMPLATE;
    this.hooks = installHooks(code);
    this.consolesArea = root.querySelector('.consoles')!;
    this.banner = root.querySelector('.banner')!;
    root.querySelector('.lab-code')!.textContent = code;
    const link = root.querySelector<HTMLAnchorElement>('.lab-link')!;
    link.href = `/lab/${code}`;
    link.textContent = `${location.host}/lab/${code}`;
    this.deviceKey = deviceKeyFor(code, browserStorage(), (bytes) => crypto.getRandomValues(bytes));
    document.title = `Lab ${code} · Socket Lab`;
    // The page lives as long as the tab: these listeners go with it.
    for (const button of root.querySelectorAll<HTMLButtonElement>('.new-console')) {
      button.addEventListener('click', () => this.addConsole().focus());
    }
    root.querySelector<HTMLFormElement>('.join-lab')!.addEventListener('submit', (event) => {
      event.preventDefault();
      const input = (event.currentTarget as HTMLFormElement).elements.namedItem('code') as HTMLInputElement;
      const code = input.value.trim().toUpperCase();
      if (/^[A-Z0-9]{1,32}$/.test(code)) location.assign(`/lab/${code}`);
    });
  }

  addConsole(initialCommand?: string): XtermConsole {
    const opened: XtermConsole = new XtermConsole(this.consolesArea, {
      lab: this.code,
      deviceKey: this.deviceKey,
      bridgeUrl: bridgeUrl(location),
      initialCommand,
      onWelcome: (welcome) => this.showDevice(welcome),
      onServerGone: () => this.showServerGone(),
      onFailed: (message) => this.showFailure(message),
      onCloseRequest: () => this.removeConsole(opened),
    });
    this.hooks.consoles.push(opened);
    this.layoutChanged();
    return opened;
  }

  private removeConsole(closing: XtermConsole): void {
    closing.close();
    const at = this.hooks.consoles.indexOf(closing);
    if (at >= 0) this.hooks.consoles.splice(at, 1);
    this.layoutChanged();
  }

  private layoutChanged(): void {
    const count = this.hooks.consoles.length;
    this.consolesArea.dataset.count = String(count);
    this.root.querySelector<HTMLElement>('.no-consoles')!.hidden = count > 0;
  }

  private showDevice(welcome: Welcome): void {
    this.hooks.address = welcome.device.address;
    this.root.querySelector('.lab-address')!.textContent = welcome.device.address;
    document.title = `${welcome.device.address} · Lab ${this.code} · Socket Lab`;
  }

  showServerGone(): void {
    if (this.serverGone) return;
    this.serverGone = true;
    this.hooks.server = 'server-gone';
    this.showBanner('The lab server went away. These consoles are disconnected: reload the page once it is running again.');
    for (const button of this.root.querySelectorAll<HTMLButtonElement>('.new-console')) button.disabled = true;
  }

  private showFailure(message: string): void {
    if (this.serverGone) return;
    if (/could not reach/i.test(message)) return this.showServerGone();
    this.showBanner(`Could not open a console: ${message}.`);
  }

  private showBanner(text: string): void {
    this.banner.textContent = text;
    this.banner.hidden = false;
  }
}

/** Shown when the code names no lab: the way on is a new lab or another code. */
function showNoSuchLab(root: HTMLElement, code: string): void {
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

/** /lab/CODE: checks the lab exists, then opens the first console (running `run` if asked). */
export async function showLabPage(root: HTMLElement, code: string, run: string | null): Promise<void> {
  let response: Response | null = null;
  try {
    response = await fetch(`/api/labs/${encodeURIComponent(code)}`);
  } catch {
    // The server is not answering; the page below says so.
  }
  if (response?.status === 404) return showNoSuchLab(root, code);
  const page = new LabPage(root, code);
  if (!response?.ok) return page.showServerGone();
  page.addConsole(run ? `run ${run}` : undefined).focus();
}
