// The teacher's page at /teacher: one class (the teacher's own; for the administrator, the
// default class or the one ?class=ID names), with its join URL and its QR code, big enough to project;
// the switch that reveals the worksheet's answers; every lab as a compact card, those in use
// first (the server's order), ended ones hidden while "Hide ended labs" is on; and every
// socket of the class in one table. Everything comes from the live feed (teacher-feed.ts) and
// is updated in place: cards are kept per lab and redrawn only when their lab changed. The
// administrator's page adds the Classes panel (classes-panel.ts).

import type { TeacherSnapshot } from '../../shared/teacher-snapshot.ts';
import type { TeacherIdentity } from '../../shared/class-info.ts';
import { CLASSES_SECTION, startClassesPanel } from './classes-panel.ts';
import { openStorage } from '../common/safe-storage.ts';
import { encodeQr, qrSvg } from '../page/qr-code.ts';
import { netstatRowsHtml } from '../common/teacher/class-netstat.ts';
import { LabCard } from './lab-card.ts';
import { openTeacherFeed } from './teacher-feed.ts';
import { clockTime, timeAgo } from '../common/teacher/time-ago.ts';
import { CHECKS_SECTION, startCheckResults } from './check-results-view.ts';
import { classSummary } from '../common/teacher/class-summary.ts';
import { hideEndedSetting, labShown, normalizeFilter, saveHideEndedSetting } from './lab-filter.ts';

/** How often "12 s ago" is brought up to date. */
const CLOCK_TICK_MS = 1000;
const NO_LAB_YET = 'No lab yet: labs appear here as students create them.';

const TEMPLATE = `
<header class="teacher-header">
  <h1>Socket Lab <span class="muted">· teacher</span><span class="class-title"></span></h1>
  <p class="class-summary"></p>
  <p class="classes-link" hidden><a href="#classes-heading">Classes</a></p>
  <p class="feed-status" role="status" data-state="connecting">Connecting…</p>
</header>
<main class="teacher-main">
  <section class="class-join" aria-labelledby="join-heading">
    <div class="join-text">
      <h2 id="join-heading">Students open</h2>
      <p><a class="class-url mono"></a></p>
      <p class="other-urls" hidden><label>This computer's other addresses <select class="url-choice"></select></label></p>
      <p class="muted">then <b>Create a lab</b>, or <b>Join</b> with a partner's lab code.</p>
      <p><button type="button" class="show-class-qr" aria-haspopup="dialog">Show QR code full screen</button></p>
    </div>
    <div class="class-qr"></div>
  </section>
  <section class="class-controls" aria-label="Class controls">
    <label class="reveal-switch"><input type="checkbox" role="switch" class="reveal-answers" disabled>
      <span>Reveal the worksheet's answers to the class</span></label>
    <p class="reveal-status" role="status"></p>
    <label class="reveal-switch hide-ended-switch"><input type="checkbox" role="switch" class="hide-ended">
      <span>Hide ended labs</span></label>
    <span class="ended-count muted"></span>
    <label class="lab-filter-label">Filter labs by code <input type="search" class="lab-filter" size="10" maxlength="12" spellcheck="false" autocomplete="off"></label>
  </section>
  <section class="labs-section" aria-labelledby="labs-heading">
    <h2 id="labs-heading">Labs</h2>
    <p class="no-labs muted">${NO_LAB_YET}</p>
    <div class="lab-cards"></div>
  </section>
  <section class="netstat-section" aria-labelledby="netstat-heading">
    <h2 id="netstat-heading">Every socket in the class (netstat)</h2>
    <table class="class-netstat">
      <thead><tr><th scope="col">Lab</th><th scope="col">Device</th><th scope="col">Proto</th><th scope="col">Local</th><th scope="col">Foreign</th><th scope="col">State</th><th scope="col">PID</th></tr></thead>
      <tbody></tbody>
    </table>
    <p class="no-sockets muted">No sockets open.</p>
  </section>${CHECKS_SECTION}${CLASSES_SECTION}
</main>
<dialog class="qr-dialog class-qr-dialog" aria-labelledby="class-qr-title">
  <h2 id="class-qr-title" class="qr-title">Open Socket Lab</h2>
  <div class="qr-picture"></div>
  <p class="qr-url"></p>
  <form method="dialog"><button type="submit" class="qr-close">Close</button></form>
</dialog>`;

export class TeacherPage {
  private readonly cards = new Map<string, LabCard>();
  private snapshot: TeacherSnapshot | null = null;
  /** Server clock minus ours, so "12 s ago" is right on a laptop whose clock is off. */
  private clockOffsetMs = 0;
  private joinUrl = '';
  private drawnNetstat = '';
  private revealPending = false;
  private stopFeed: () => void = () => {};
  /** localStorage where the page may use it (the "Hide ended labs" switch is remembered there). */
  private readonly storage = openStorage(() => window.localStorage);
  private readonly $ = <T extends Element = HTMLElement>(selector: string) => this.root.querySelector<T>(selector)!;

  constructor(
    private readonly root: HTMLElement,
    private readonly token: string,
    private readonly onUnauthorized: () => void,
    /** The class the administrator asked for (?class=ID); null: the teacher's own, or the default class. */
    private readonly classId: number | null = null,
  ) {
    root.innerHTML = TEMPLATE;
    document.title = 'Socket Lab: teacher';
    this.$<HTMLInputElement>('.reveal-answers').addEventListener('change', (e) => void this.setReveal((e.target as HTMLInputElement).checked));
    this.$<HTMLInputElement>('.lab-filter').addEventListener('input', () => this.applyFilter());
    const hideEnded = this.$<HTMLInputElement>('.hide-ended');
    hideEnded.checked = hideEndedSetting(this.storage);
    hideEnded.addEventListener('change', () => {
      saveHideEndedSetting(this.storage, hideEnded.checked);
      this.applyFilter();
    });
    this.$<HTMLSelectElement>('.url-choice').addEventListener('change', (e) => this.showJoinUrl((e.target as HTMLSelectElement).value));
    const dialog = this.$<HTMLDialogElement>('.class-qr-dialog');
    this.$('.show-class-qr').addEventListener('click', () => {
      this.$('.class-qr-dialog .qr-picture').innerHTML = this.joinUrl ? qrSvg(encodeQr(this.joinUrl), this.joinUrl) : '';
      this.$('.class-qr-dialog .qr-url').textContent = this.joinUrl;
      dialog.showModal();
      this.$<HTMLButtonElement>('.qr-close').focus();
    });
    setInterval(() => this.tickClock(), CLOCK_TICK_MS);
  }

  start(): void {
    startCheckResults(this.$('.checks-section'), (path) => this.api('GET', path));
    void this.showClassesToAdmin();
    this.stopFeed = openTeacherFeed(this.token, {
      snapshot: (s) => this.show(s),
      status: (state, detail) => {
        const status = this.$('.feed-status');
        status.dataset.state = state;
        status.textContent = detail;
      },
      unauthorized: () => this.unauthorized(),
      refused: (why) => {
        const status = this.$('.feed-status');
        status.dataset.state = 'refused';
        status.textContent = `Not live: ${why}`;
      },
    }, this.withClass('/api/teacher/events'));
  }

  /** The administrator's token gets the Classes panel; a class's teacher does not. */
  private async showClassesToAdmin(): Promise<void> {
    const res = await this.api('GET', '/api/teacher/me').catch(() => null);
    if (!res?.ok) return;
    const me = (await res.json()) as TeacherIdentity;
    if (me.role !== 'admin') return;
    this.$('.classes-link').hidden = false;
    startClassesPanel(this.$('.classes-section'), (method, path, body) => this.api(method, path, body), this.classId ?? me.class.id);
  }

  /** An API path about this page's class (the administrator's ?class=ID rides along). */
  private withClass(path: string): string {
    return this.classId === null ? path : `${path}${path.includes('?') ? '&' : '?'}class=${this.classId}`;
  }

  private unauthorized(): void {
    this.stopFeed();
    this.onUnauthorized();
  }

  private async api(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(this.withClass(path), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 401) this.unauthorized();
    return response;
  }

  private show(snapshot: TeacherSnapshot): void {
    this.snapshot = snapshot;
    this.clockOffsetMs = snapshot.now - Date.now();
    // The default class's page looks as it did before classes; another class's says which.
    const title = snapshot.class.isDefault ? '' : ` · ${snapshot.class.name}`;
    if (this.$('.class-title').textContent !== title) {
      this.$('.class-title').textContent = title;
      document.title = `Socket Lab: teacher${title ? `: ${snapshot.class.name}` : ''}`;
    }
    this.showJoinUrls(snapshot.joinUrls);
    const reveal = this.$<HTMLInputElement>('.reveal-answers');
    if (!this.revealPending) {
      reveal.checked = snapshot.revealAnswers;
      reveal.disabled = false;
    }
    const area = this.$('.lab-cards');
    const present = new Set(snapshot.labs.map((l) => l.code));
    for (const [code, card] of this.cards) {
      if (!present.has(code)) {
        card.element.remove();
        this.cards.delete(code);
      }
    }
    let previous: HTMLElement | null = null;
    for (const lab of snapshot.labs) {
      let card = this.cards.get(lab.code);
      if (!card) {
        card = new LabCard(lab.code, (c) => void this.closeLab(c));
        this.cards.set(lab.code, card);
      }
      card.update(lab);
      // In the server's order (in use first, then the most recently used), moving only what is out of place.
      const want: Element | null = previous ? previous.nextElementSibling : area.firstElementChild;
      if (want !== card.element) area.insertBefore(card.element, want);
      previous = card.element;
    }
    const rows = netstatRowsHtml(snapshot.labs);
    if (rows !== this.drawnNetstat) {
      this.drawnNetstat = rows;
      this.$('.class-netstat tbody').innerHTML = rows;
    }
    this.$('.no-sockets').hidden = rows !== '';
    this.$('.class-summary').textContent = classSummary(snapshot.labs);
    const ended = snapshot.labs.filter((l) => l.state === 'ended').length;
    this.$('.ended-count').textContent = ended === 0 ? '' : `(${ended} ended)`;
    this.applyFilter();
    this.tickClock();
  }

  private showJoinUrls(urls: string[]): void {
    const choice = this.$<HTMLSelectElement>('.url-choice');
    const options = urls.map((u) => u).join('\n');
    if (choice.dataset.urls !== options) {
      choice.dataset.urls = options;
      choice.replaceChildren(...urls.map((u) => new Option(u, u)));
      this.$('.other-urls').hidden = urls.length < 2;
    }
    if (!urls.includes(this.joinUrl) && urls.length > 0) this.showJoinUrl(urls[0]!);
  }

  private showJoinUrl(url: string): void {
    this.joinUrl = url;
    const link = this.$<HTMLAnchorElement>('.class-url');
    link.textContent = url;
    link.href = url;
    this.$<HTMLSelectElement>('.url-choice').value = url;
    this.$('.class-qr').innerHTML = qrSvg(encodeQr(url), url);
  }

  private applyFilter(): void {
    const filter = normalizeFilter(this.$<HTMLInputElement>('.lab-filter').value);
    const hideEnded = this.$<HTMLInputElement>('.hide-ended').checked;
    let shown = 0;
    for (const card of this.cards.values()) {
      card.element.hidden = !labShown(card, filter, hideEnded);
      if (!card.element.hidden) shown++;
    }
    for (const row of this.root.querySelectorAll<HTMLElement>('.class-netstat tbody tr')) row.hidden = !(row.dataset.lab ?? '').includes(filter);
    const none = this.$('.no-labs');
    none.hidden = shown > 0;
    if (this.cards.size === 0) none.textContent = NO_LAB_YET;
    else if (filter !== '') none.textContent = `No lab's code contains ${filter}.`;
    else none.textContent = 'No lab is in use: the ended ones are hidden (Hide ended labs).';
  }

  private tickClock(): void {
    const now = Date.now() + this.clockOffsetMs;
    for (const el of this.root.querySelectorAll<HTMLElement>('[data-seen]')) el.textContent = timeAgo(now - Number(el.dataset.seen));
    // The server's time of removal, as this computer's clock will show it then.
    for (const el of this.root.querySelectorAll<HTMLElement>('[data-until]')) el.textContent = clockTime(Number(el.dataset.until) - this.clockOffsetMs, Date.now());
  }

  private async setReveal(on: boolean): Promise<void> {
    const status = this.$('.reveal-status');
    const box = this.$<HTMLInputElement>('.reveal-answers');
    this.revealPending = true;
    box.disabled = true;
    status.textContent = on ? 'Revealing the answers…' : 'Hiding the answers…';
    try {
      const response = await this.api('POST', '/api/teacher/reveal', { revealAnswers: on });
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      status.textContent = on ? 'The answers are revealed: every console can run them now.' : 'The answers are hidden again.';
    } catch (err) {
      box.checked = !on;
      status.textContent = `Could not change it: ${err instanceof Error ? err.message : String(err)}.`;
    } finally {
      this.revealPending = false;
      box.disabled = false;
      box.focus();
    }
  }

  private async closeLab(card: LabCard): Promise<void> {
    const lab = this.snapshot?.labs.find((l) => l.code === card.code);
    const devices = lab ? lab.devices.length : 0;
    if (!confirm(`Close lab ${card.code}? Its ${devices} device${devices === 1 ? '' : 's'} lose their consoles and programs, their Check results are deleted, and the code stops working.`)) return;
    card.busy = true;
    try {
      const response = await this.api('DELETE', `/api/teacher/labs/${encodeURIComponent(card.code)}`);
      if (!response.ok && response.status !== 404) throw new Error(`the server answered ${response.status}`);
      this.$('.reveal-status').textContent = `Lab ${card.code} is closed.`;
      card.element.remove();
      this.cards.delete(card.code);
      this.applyFilter();
      this.$<HTMLInputElement>('.lab-filter').focus();
    } catch (err) {
      card.busy = false;
      this.$('.reveal-status').textContent = `Could not close lab ${card.code}: ${err instanceof Error ? err.message : String(err)}.`;
    }
  }
}
