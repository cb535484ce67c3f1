// One lab on the teacher's page: its code, whether it is in use or has ended (and when an
// unused one goes) and a close button (kept across updates, so focus stays put), then its
// devices with their consoles' programs, and the picture of who is connected to whom. The
// body is redrawn only when the lab itself changed; "12 s ago" and "21:40" are refreshed in
// place by the page's clock (data-seen, data-until).

import type { TeacherDevice, TeacherLab } from '../../shared/teacher-snapshot.ts';
import { connectionPicture } from '../common/teacher/connection-picture.ts';
import { escapeHtml } from '../common/teacher/html-escape.ts';

function processesHtml(device: TeacherDevice): string {
  if (device.processes.length === 0) return '<span class="muted">none</span>';
  return device.processes
    .map((p) => `<span class="proc${p.name === 'shell' ? ' shell' : ''}" title="console ${p.console}, PID ${p.pid}">${p.pid} ${escapeHtml(p.name)}</span>`)
    .join(' ');
}

function deviceRow(device: TeacherDevice): string {
  const seen =
    device.consoles > 0
      ? '<span class="online">online</span>'
      : `<span class="seen" data-seen="${device.lastSeen}"></span>`;
  return (
    `<tr data-address="${escapeHtml(device.address)}">` +
    `<td class="mono">${escapeHtml(device.address)}</td>` +
    `<td>${device.browser ? escapeHtml(device.browser) : '<span class="muted">not seen since start</span>'}</td>` +
    `<td class="num">${device.consoles}</td>` +
    `<td>${seen}</td>` +
    `<td class="procs">${processesHtml(device)}</td></tr>`
  );
}

/** "in use"; "no console · last used 3 min ago"; "ended · last used 2 h ago · kept until 21:40". */
export function labStateHtml(lab: TeacherLab): string {
  if (lab.state === 'open') return 'in use';
  const used = `last used <span data-seen="${lab.lastActive}"></span>`;
  const until = lab.removeAt === null ? '' : ` · kept until <span data-until="${lab.removeAt}"></span>`;
  return `${lab.state === 'ended' ? 'ended' : 'no console'} · ${used}${until}`;
}

export function labBodyHtml(lab: TeacherLab): string {
  const devices =
    lab.devices.length === 0
      ? '<p class="muted">No device has opened this lab yet.</p>'
      : `<table class="devices"><thead><tr><th scope="col">Device</th><th scope="col">Browser</th><th scope="col" title="consoles open">Cons.</th><th scope="col">Seen</th><th scope="col">Programs (PID)</th></tr></thead><tbody>${lab.devices.map(deviceRow).join('')}</tbody></table>`;
  const links =
    lab.links.length === 0
      ? '<li class="muted">no connections</li>'
      : lab.links
          .map((l) => `<li class="mono${l.state === 'ESTABLISHED' ? '' : ' closing'}">${escapeHtml(l.client)} → ${escapeHtml(l.server)}:${l.port} <span class="state">${escapeHtml(l.state)}</span></li>`)
          .join('');
  return `<div class="lab-devices">${devices}</div><figure class="lab-picture">${connectionPicture(lab)}<figcaption><ul class="link-list">${links}</ul></figcaption></figure>`;
}

export class LabCard {
  readonly element: HTMLElement;
  /** As of the last update: the page hides ended labs when asked. */
  state: TeacherLab['state'] = 'open';
  private readonly body: HTMLElement;
  private readonly closeButton: HTMLButtonElement;
  private drawn = '';

  constructor(
    readonly code: string,
    onClose: (card: LabCard) => void,
  ) {
    const id = `lab-${code}-title`;
    this.element = document.createElement('article');
    this.element.className = 'lab-card';
    this.element.dataset.code = code;
    this.element.setAttribute('aria-labelledby', id);
    this.element.innerHTML =
      `<header class="lab-card-head"><h3 id="${id}">Lab <span class="mono">${escapeHtml(code)}</span></h3>` +
      `<span class="lab-net mono"></span><span class="lab-state"></span>` +
      `<button type="button" class="close-lab secondary" aria-label="Close lab ${escapeHtml(code)}">Close lab</button></header>` +
      `<div class="lab-body"></div>`;
    this.body = this.element.querySelector('.lab-body')!;
    this.closeButton = this.element.querySelector('.close-lab')!;
    this.closeButton.addEventListener('click', () => onClose(this));
  }

  /** Redraws when the lab changed; returns whether it did. */
  update(lab: TeacherLab): boolean {
    const json = JSON.stringify(lab);
    if (json === this.drawn) return false;
    this.drawn = json;
    this.state = lab.state;
    this.element.dataset.state = lab.state;
    this.element.querySelector('.lab-state')!.innerHTML = labStateHtml(lab);
    this.element.querySelector('.lab-net')!.textContent = `10.${lab.number}.0.0/24 · ${lab.devices.length} device${lab.devices.length === 1 ? '' : 's'}`;
    this.body.innerHTML = labBodyHtml(lab);
    return true;
  }

  set busy(on: boolean) {
    this.closeButton.disabled = on;
  }
}
