// The wire view of one console: its programs' socket traffic as they saw it, a line per send,
// per recv chunk and per socket event (shared/wire-log.ts formats them), with Pause, Clear,
// Copy, a filter by socket, and per connected socket a switch for Nagle's algorithm
// (TCP_NODELAY on the real socket). Keyboard and screen reader: every control is a labelled
// native control; the lines are a focusable log (role=log) that is NOT live, so a screen
// reader is not made to read every byte; the status line says what a button did.

import { formatWireDropped, formatWireEntry, formatWireSocket, type WireEntry } from '../../shared/wire-log.ts';
import type { WireSocket, WireTap } from '../common/net/wire-tap.ts';

let nextViewId = 1;

export class WireView {
  readonly element: HTMLElement;
  private readonly lines: HTMLElement;
  private readonly dropped: HTMLElement;
  private readonly status: HTMLElement;
  private readonly filter: HTMLSelectElement;
  private readonly pauseButton: HTMLButtonElement;
  private readonly switches: HTMLElement;
  private readonly switchBySock = new Map<number, HTMLLabelElement>();
  private paused = false;
  private missed = 0;
  private readonly disposers: (() => void)[] = [];

  constructor(private readonly tap: WireTap) {
    const id = `wire-view-${nextViewId++}`;
    this.element = document.createElement('section');
    this.element.className = 'wire-view';
    this.element.id = id;
    this.element.setAttribute('aria-label', 'Wire view: socket traffic as the programs saw it');
    this.element.innerHTML =
      '<div class="wire-controls" role="group" aria-label="Wire view controls">' +
      '<button type="button" class="wire-pause" aria-pressed="false">Pause</button>' +
      '<button type="button" class="wire-clear">Clear</button>' +
      '<button type="button" class="wire-copy">Copy</button>' +
      `<label class="wire-filter-label" for="${id}-filter">Socket</label>` +
      `<select class="wire-filter" id="${id}-filter"><option value="">all sockets</option></select>` +
      '<span class="wire-status" role="status"></span></div>' +
      '<div class="wire-switches" role="group" aria-label="Nagle\'s algorithm of each connected socket"></div>' +
      `<div class="wire-lines" role="log" aria-live="off" tabindex="0" aria-label="Sends, receives and socket events, oldest first">` +
      '<div class="wire-dropped" hidden></div></div>';
    this.lines = this.element.querySelector('.wire-lines')!;
    this.dropped = this.element.querySelector('.wire-dropped')!;
    this.status = this.element.querySelector('.wire-status')!;
    this.filter = this.element.querySelector('.wire-filter')!;
    this.pauseButton = this.element.querySelector('.wire-pause')!;
    this.switches = this.element.querySelector('.wire-switches')!;

    this.listen(this.pauseButton, 'click', () => this.setPaused(!this.paused));
    this.listen(this.element.querySelector('.wire-clear')!, 'click', () => {
      this.tap.log.clear();
      this.say('Cleared.');
    });
    this.listen(this.element.querySelector('.wire-copy')!, 'click', () => void this.copy());
    this.listen(this.filter, 'change', () => this.applyFilter());
    this.disposers.push(this.tap.log.onChange((entry) => this.changed(entry)));
    this.disposers.push(this.tap.onSockets(() => this.renderSwitches()));
    this.renderAll();
    this.renderSwitches();
  }

  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
    this.element.remove();
  }

  /** The lines shown (the filter applied), as Copy puts them on the clipboard. */
  text(): string {
    return this.shownLines().map((line) => line.textContent).join('\n');
  }

  private listen(target: HTMLElement, type: string, handler: () => void): void {
    target.addEventListener(type, handler);
    this.disposers.push(() => target.removeEventListener(type, handler));
  }

  private say(text: string): void {
    this.status.textContent = text;
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    this.pauseButton.setAttribute('aria-pressed', String(paused));
    this.pauseButton.textContent = paused ? 'Resume' : 'Pause';
    if (paused) {
      this.missed = 0;
      this.say('Paused: new lines are kept but not shown.');
    } else {
      this.renderAll();
      this.say(this.missed > 0 ? `Resumed: ${this.missed} new line${this.missed === 1 ? '' : 's'}.` : 'Resumed.');
    }
  }

  private changed(entry: WireEntry | null): void {
    if (entry === null) return this.renderAll();
    this.addFilterOption(entry.sock);
    if (this.paused) {
      this.missed++;
      return;
    }
    const stick = this.atBottom();
    this.lines.append(this.lineFor(entry));
    // The log keeps a bounded number of lines: so does the view.
    let extra = this.lines.childElementCount - 1 - this.tap.log.entries().length;
    while (extra-- > 0) this.dropped.nextElementSibling?.remove();
    this.showDropped();
    if (stick) this.lines.scrollTop = this.lines.scrollHeight;
  }

  private renderAll(): void {
    while (this.dropped.nextElementSibling) this.dropped.nextElementSibling.remove();
    const entries = this.tap.log.entries();
    for (const entry of entries) this.addFilterOption(entry.sock);
    this.lines.append(...entries.map((entry) => this.lineFor(entry)));
    this.showDropped();
    this.lines.scrollTop = this.lines.scrollHeight;
  }

  private lineFor(entry: WireEntry): HTMLElement {
    const line = document.createElement('div');
    line.className = 'wire-line';
    line.dataset.sock = String(entry.sock);
    line.dataset.direction = entry.direction;
    line.textContent = formatWireEntry(entry);
    line.hidden = !this.matches(line);
    return line;
  }

  private showDropped(): void {
    const text = formatWireDropped(this.tap.log.dropped);
    this.dropped.hidden = text === null;
    this.dropped.textContent = text ?? '';
  }

  private atBottom(): boolean {
    return this.lines.scrollHeight - this.lines.scrollTop - this.lines.clientHeight < 4;
  }

  private addFilterOption(sock: number): void {
    const value = String(sock);
    if ([...this.filter.options].some((option) => option.value === value)) return;
    const option = document.createElement('option');
    option.value = value;
    option.textContent = `sock ${sock}`;
    this.filter.append(option);
  }

  private matches(line: HTMLElement): boolean {
    return this.filter.value === '' || line.dataset.sock === this.filter.value;
  }

  private applyFilter(): void {
    for (const line of this.lines.querySelectorAll<HTMLElement>('.wire-line')) line.hidden = !this.matches(line);
  }

  private shownLines(): HTMLElement[] {
    return [...this.lines.querySelectorAll<HTMLElement>('.wire-line')].filter((line) => !line.hidden);
  }

  private async copy(): Promise<void> {
    const text = this.text();
    const count = this.shownLines().length;
    const copied = await copyText(text, this.element);
    this.say(copied ? `Copied ${count} line${count === 1 ? '' : 's'}.` : 'Could not copy: select the lines and press Ctrl-C.');
  }

  /** One switch per connected socket the page can reach, kept in place (focus stays on it). */
  private renderSwitches(): void {
    const wanted = new Map(this.tap.sockets().filter((s) => s.connected && s.setNoDelay).map((s) => [s.sock, s] as const));
    for (const [sock, label] of this.switchBySock) {
      if (!wanted.has(sock)) {
        label.remove();
        this.switchBySock.delete(sock);
      }
    }
    for (const socket of wanted.values()) {
      let label = this.switchBySock.get(socket.sock);
      if (!label) {
        label = this.switchFor(socket);
        this.switchBySock.set(socket.sock, label);
        this.switches.append(label);
      }
      const input = label.querySelector('input')!;
      if (!input.disabled) input.checked = !socket.noDelay;
      label.querySelector('.wire-switch-socket')!.textContent = formatWireSocket(socket);
    }
    this.switches.hidden = wanted.size === 0;
  }

  private switchFor(socket: WireSocket): HTMLLabelElement {
    const label = document.createElement('label');
    label.className = 'wire-switch';
    label.dataset.sock = String(socket.sock);
    label.title = "Nagle's algorithm on (checked) waits to merge small sends into one segment; unchecked sets TCP_NODELAY on the real socket.";
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.setAttribute('role', 'switch');
    input.checked = !socket.noDelay;
    const text = document.createElement('span');
    text.innerHTML = 'Nagle · <span class="wire-switch-socket"></span>';
    label.append(input, text);
    input.addEventListener('change', () => {
      const nagle = input.checked;
      input.disabled = true;
      this.tap.setNoDelay(socket.sock, !nagle).then(
        () => this.say(`sock ${socket.sock}: Nagle's algorithm ${nagle ? 'on' : 'off'} (TCP_NODELAY=${nagle ? 0 : 1}).`),
        (err: unknown) => {
          input.checked = !nagle;
          this.say(`sock ${socket.sock}: could not change TCP_NODELAY: ${err instanceof Error ? err.message : String(err)}`);
        },
      ).finally(() => {
        input.disabled = false;
        input.focus();
      });
    });
    return label;
  }
}

/** The clipboard API where the page may use it (a secure context), else the older copy command. */
async function copyText(text: string, near: HTMLElement): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the copy command
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'wire-copy-buffer';
  const focused = document.activeElement as HTMLElement | null;
  near.append(area);
  area.select();
  let done = false;
  try {
    done = document.execCommand('copy');
  } catch {
    done = false;
  }
  area.remove();
  focused?.focus();
  return done;
}
