// The lab page's view of its consoles' connections: this device's lab address in the header
// and the title once a console is welcomed, and the banner (connection-banner.ts says what)
// while any console is not connected. When the lab server goes away the consoles reconnect by
// themselves; the banner says so and the address waits for the next welcome. Other closes say
// why, with the button that helps (reconnect, reload, home).

import type { Welcome } from '../../shared/bridge-protocol.ts';
import type { CloseExplanation } from '../common/bridge/close-reasons.ts';
import type { XtermConsole } from '../console/xterm-console.ts';
import { connectionBanner, type BannerAction } from '../common/page/connection-banner.ts';
import type { SocketLabHooks } from './test-hooks.ts';

const ACTION_LABELS: Record<BannerAction, string> = { reconnect: 'Reconnect', reload: 'Reload the page', home: 'Go to the home page' };

export class ConnectionStatus {
  /** Why each console that is not connected lost its connection. */
  private readonly lost = new Map<XtermConsole, CloseExplanation>();
  private action: BannerAction | null = null;

  constructor(
    /** The banner (.banner) with its text and button. */
    private readonly banner: HTMLElement,
    /** The header's "This device" address (.lab-address). */
    private readonly address: HTMLElement,
    private readonly code: string,
    /** The test hooks' address and server, kept up to date. */
    private readonly hooks: Pick<SocketLabHooks, 'address' | 'server'>,
    /** Ends the listeners on window and document (the page's lifetime). */
    signal: AbortSignal,
  ) {
    banner.querySelector('.banner-action')!.addEventListener('click', () => this.actionClicked());
    // A hidden tab's timers are throttled (to once a minute, after a while): when the student
    // looks again, or the network is back, consoles still retrying try at once.
    const retryNow = () => {
      if (document.visibilityState === 'visible') for (const c of this.lost.keys()) c.retryNow();
    };
    document.addEventListener('visibilitychange', retryNow, { signal });
    window.addEventListener('online', retryNow, { signal });
  }

  /** A console connected (again): the lab told it this device's address. */
  welcomed(console: XtermConsole, welcome: Welcome): void {
    this.hooks.address = welcome.device.address;
    this.address.textContent = welcome.device.address;
    document.title = `${welcome.device.address} · Lab ${this.code} · Socket Lab`;
    this.changed(console, null);
  }

  /** A console connected (explanation null), closed, or lost its connection: the banner follows. */
  changed(console: XtermConsole, explanation: CloseExplanation | null): void {
    if (explanation) this.lost.set(console, explanation);
    else this.lost.delete(console);
    const view = connectionBanner([...this.lost.values()]);
    this.hooks.server = view === null ? 'ok' : view.kind;
    if (view?.kind === 'reconnecting') {
      // The address comes back with the first welcome, from the lab's database.
      this.hooks.address = null;
      this.address.textContent = '…';
    }
    this.action = view?.action ?? null;
    this.banner.hidden = view === null;
    this.banner.dataset.kind = view?.kind ?? '';
    this.banner.querySelector('.banner-text')!.textContent = view?.text ?? '';
    const button = this.banner.querySelector<HTMLButtonElement>('.banner-action')!;
    button.hidden = view?.action == null;
    button.textContent = view?.action ? ACTION_LABELS[view.action] : '';
  }

  private actionClicked(): void {
    if (this.action === 'reload') location.reload();
    else if (this.action === 'home') location.assign('/');
    else if (this.action === 'reconnect') for (const c of this.lost.keys()) c.reconnect();
  }
}
