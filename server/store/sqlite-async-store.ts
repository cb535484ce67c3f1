// SQLite's LabStore behind the async interface (async-lab-store.ts), so the registry can read
// one interface whichever store it has. One instance alone on its database: it holds every
// lab, so the numbers count on from the highest it has (as LabRegistry does today) and there
// is no other instance to own a lab (claimLab records nothing, labOwner answers null).

import { DEFAULT_CLASS_ID, type LabStore } from './lab-store.ts';
import type { AsyncLabStore, CreatedLab, KeptCheckResult, NewClass, StoredCheckResult, StoredClass, StoredLab } from './async-lab-store.ts';

export class SqliteAsyncStore implements AsyncLabStore {
  private lastNumber: number;

  constructor(private readonly store: LabStore) {
    this.lastNumber = Math.max(0, ...store.loadLabs().map((l) => l.number));
  }

  get location(): string {
    return this.store.location;
  }

  get schemaVersion(): number {
    return this.store.schemaVersion;
  }

  async loadLabs(): Promise<StoredLab[]> {
    return this.store.loadLabs();
  }

  async findLab(code: string): Promise<StoredLab | null> {
    const upper = code.toUpperCase();
    return this.store.loadLabs().find((l) => l.code === upper) ?? null;
  }

  async createLab(code: string, createdAt: number, classId = DEFAULT_CLASS_ID): Promise<CreatedLab | null> {
    if (this.store.loadLabs().some((l) => l.code === code)) return null;
    const number = this.lastNumber + 1;
    this.store.insertLab(code, number, createdAt, classId);
    this.lastNumber = number;
    return { code, number, createdAt };
  }

  async claimLab(): Promise<string | null> {
    return null;
  }

  async labOwner(): Promise<string | null> {
    return null;
  }

  async insertDevice(labCode: string, id: number, key: string, lastSeen: number): Promise<void> {
    this.store.insertDevice(labCode, id, key, lastSeen);
  }

  noteDeviceSeen(labCode: string, id: number, at: number): void {
    this.store.noteDeviceSeen(labCode, id, at);
  }

  async flushSeen(): Promise<void> {
    this.store.flushSeen();
  }

  async deleteLab(code: string): Promise<void> {
    this.store.deleteLab(code);
  }

  async removeEndedLab(code: string, endedAt: number): Promise<void> {
    this.store.removeEndedLab(code, endedAt);
  }

  async removeEndedLabs(cutoff: number, endedAt: number): Promise<string[]> {
    const ended = this.store.loadLabs().filter((l) => Math.max(l.createdAt, ...l.devices.map((d) => d.lastSeen)) < cutoff);
    for (const lab of ended) this.store.removeEndedLab(lab.code, endedAt);
    return ended.map((l) => l.code);
  }

  async saveCheckResult(result: StoredCheckResult): Promise<void> {
    this.store.saveCheckResult(result);
  }

  async checkResults(classId?: number): Promise<KeptCheckResult[]> {
    return this.store.checkResults(classId);
  }

  async loadClasses(): Promise<StoredClass[]> {
    return this.store.loadClasses();
  }

  async insertClass(c: NewClass): Promise<number | null> {
    try {
      return this.store.insertClass(c);
    } catch (err) {
      // better-sqlite3's code for a UNIQUE constraint broken: a name's key, slug or token taken.
      if ((err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') return null;
      throw err;
    }
  }

  async setClassRevealAnswers(classId: number, on: boolean): Promise<void> {
    this.store.setClassRevealAnswers(classId, on);
  }

  async getSetting(name: string): Promise<string | undefined> {
    return this.store.getSetting(name);
  }

  async setSetting(name: string, value: string): Promise<void> {
    this.store.setSetting(name, value);
  }

  get revealAnswers(): boolean {
    return this.store.revealAnswers;
  }

  async setRevealAnswers(on: boolean): Promise<void> {
    this.store.setRevealAnswers(on);
  }

  async refreshSettings(): Promise<void> {
    // Alone on its database: what it holds is what was written.
  }

  async close(): Promise<void> {
    this.store.close();
  }
}
