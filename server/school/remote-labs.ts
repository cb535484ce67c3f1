// The labs of a class that other instances serve, as a teacher's page on this one shows them
// (--database). The database says which labs a class has and which instance serves each; the
// card itself (devices, programs, sockets) is fetched from that instance
// (GET /api/teacher/labs/CODE at the URL it recorded, with the administrator's token, which
// every instance of a school shares). A card is kept for a few seconds, and dropped at once
// when an event names its lab (a device joined or left, a Check, a lab claimed or removed), so
// the page follows the lab live without asking the other instance every second. A lab no
// instance serves now (its instance died, and no page asked for it since), or whose instance
// does not answer, is shown from the database: its devices and addresses, no programs.

import type { TeacherLab } from '../../shared/teacher-snapshot.ts';
import { Lab } from '../lab/lab-registry.ts';
import { labView } from '../teacher/class-snapshot.ts';
import type { SchoolLink } from './school-link.ts';

/** A card fetched from another instance is used for this long unless an event names its lab. */
export const REMOTE_CARD_MAX_AGE_MS = 3_000;
/** Past this, an instance that does not answer is taken as gone for this card (it is shown from the database). */
const FETCH_TIMEOUT_MS = 2_000;

export interface RemoteLabsOptions {
  link: SchoolLink;
  /** The administrator's token (--teacher-token), the same on every instance of a school. */
  adminToken: string;
  /** --lab-retention in ms, for a card built from the database. */
  labRetentionMs: number;
}

export class RemoteLabs {
  private readonly cards = new Map<string, { card: TeacherLab | null; at: number }>();

  constructor(private readonly options: RemoteLabsOptions) {
    if (!options.link || typeof options.adminToken !== 'string' || !(options.labRetentionMs >= 0)) throw new Error('remote labs need link, adminToken and labRetentionMs');
  }

  /** Something happened to a lab: its card is fetched afresh next time. */
  invalidate(code: string): void {
    this.cards.delete(code);
  }

  /** Events may have been missed: every card is fetched afresh. */
  clear(): void {
    this.cards.clear();
  }

  /** The class's labs that this instance does not hold (`held`), as their owners show them. */
  async classLabs(classId: number, now: number, held: (code: string) => boolean): Promise<TeacherLab[]> {
    const rows = await this.options.link.store.classLabOwners(classId);
    const cards = await Promise.all(rows.filter((r) => !held(r.code)).map((r) => this.card(r.code, r.owner, classId, now)));
    return cards.filter((c): c is TeacherLab => c !== null);
  }

  private async card(code: string, owner: string | null, classId: number, now: number): Promise<TeacherLab | null> {
    const kept = this.cards.get(code);
    if (kept && now - kept.at < REMOTE_CARD_MAX_AGE_MS) return kept.card;
    const link = this.options.link;
    let card = owner !== null && owner !== link.instance ? await this.fetchCard(owner, code, classId) : null;
    card ??= await this.storedCard(code, now);
    this.cards.set(code, { card, at: now });
    return card;
  }

  private async fetchCard(owner: string, code: string, classId: number): Promise<TeacherLab | null> {
    try {
      const base = await this.options.link.urlOf(owner);
      if (base === null) return null;
      // The class named: an instance with lab workers finds the card on whichever worker holds it.
      const res = await fetch(`${base}/api/teacher/labs/${encodeURIComponent(code)}?class=${classId}`, {
        headers: { authorization: `Bearer ${this.options.adminToken}` },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      if (!res.ok) return null;
      return (await res.json()) as TeacherLab;
    } catch {
      return null;
    }
  }

  /** The lab as the database keeps it: devices and addresses, no console open, no program. */
  private async storedCard(code: string, now: number): Promise<TeacherLab | null> {
    const stored = await this.options.link.store.findLab(code);
    if (!stored) return null;
    const lab = new Lab(stored.code, stored.number, stored.createdAt, null, () => now, stored.classId);
    for (const d of stored.devices) lab.restoreDevice(d.id, d.key, d.lastSeen);
    return labView(lab, { labRetentionMs: this.options.labRetentionMs, netstat: () => [] }, now);
  }
}
