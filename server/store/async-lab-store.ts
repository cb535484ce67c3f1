// The store as several instances sharing one database need it: every call a promise (a
// PostgreSQL round trip), and no instance assuming it holds every lab.
//  - A lab is found by its code when first asked for (findLab on a lookup miss): it may have
//    been made on another instance, which HAProxy does not route its code to.
//  - A lab's number (its addresses, 10.N.0.x) is allocated by the database (createLab), so
//    two instances never give the same one.
//  - The instance serving a lab claims it (claimLab): the owner is known to every instance
//    (for the teacher's view, and to move a lab back when its instance returns).
//  - Ended labs are removed by one statement over the whole database (removeEndedLabs), from
//    the devices' last-seen times that every instance flushes each minute.
//  - Classes (each with its teacher's token, join URL slug and reveal switch; every lab is in
//    one) may be made on any instance: a taken name, slug or token is found by the database
//    (insertClass answers null), not by one instance's memory. Class 1 is the default class
//    (DEFAULT_CLASS_ID), the one a server has before any is made; revealAnswers is its switch.
// The PostgreSQL store (postgres-store.ts) is written to it; SQLite's LabStore, synchronous
// and alone on its machine, is wrapped by sqlite-async-store.ts (for the contract test: the
// server reads SQLite's LabStore itself). The registry reads this interface with --database
// (LabRegistry's SharedLabs; docs/scaling.md, "How the server uses it").

import type { KeptCheckResult, StoredCheckResult, StoredClass, StoredLab } from './lab-store.ts';

export type { KeptCheckResult, StoredCheckResult, StoredClass, StoredDevice, StoredLab } from './lab-store.ts';

/** A class as made by the administrator (its reveal switch starts off). */
export interface NewClass {
  name: string;
  /** The name as compared for duplicates (shared/class-name.ts classNameKey). */
  nameKey: string;
  slug: string;
  token: string;
  createdAt: number;
}

/** A lab made (createLab), with the number the database gave it. */
export interface CreatedLab {
  code: string;
  number: number;
  createdAt: number;
}

export interface AsyncLabStore {
  /** Where it lives, for messages (a PostgreSQL URL without its password). */
  readonly location: string;
  readonly schemaVersion: number;

  /** Every lab with its devices, in the order they were made (one instance: its start-up). */
  loadLabs(): Promise<StoredLab[]>;
  /** One lab with its devices, or null when no lab has the code (any case). */
  findLab(code: string): Promise<StoredLab | null>;
  /** Makes a lab in a class (default: the default class) with the next free number; null when the code is taken (pick another). */
  createLab(code: string, createdAt: number, classId?: number): Promise<CreatedLab | null>;
  /** Records that `instance` now serves the lab; the instance that did before (null: none or itself). */
  claimLab(code: string, instance: string): Promise<string | null>;
  /** The instance serving the lab, or null (none claimed it, or no such lab). */
  labOwner(code: string): Promise<string | null>;

  insertDevice(labCode: string, id: number, key: string, lastSeen: number): Promise<void>;
  /** Kept in memory until flushSeen, as LabStore's (a class reconnecting is hundreds at once). */
  noteDeviceSeen(labCode: string, id: number, at: number): void;
  flushSeen(): Promise<void>;

  /** The teacher closed it: gone with its devices and their Check results. */
  deleteLab(code: string): Promise<void>;
  /** It ended: gone with its devices, its Check results kept as ended. */
  removeEndedLab(code: string, endedAt: number): Promise<void>;
  /** Every lab whose last activity (its newest device sighting, or creation) is before `cutoff` ended at `endedAt`; their codes. */
  removeEndedLabs(cutoff: number, endedAt: number): Promise<string[]>;

  saveCheckResult(result: StoredCheckResult): Promise<void>;
  /** Every kept Check result (live and ended labs), by lab, device and question; only one class's labs' when `classId` is given. */
  checkResults(classId?: number): Promise<KeptCheckResult[]>;

  /** Every class, the default one first, then in the order they were made. */
  loadClasses(): Promise<StoredClass[]>;
  /** Makes a class; its id, or null when its name's key, slug or token is taken (on any instance). */
  insertClass(c: NewClass): Promise<number | null>;
  /** A class's reveal switch, kept (the default class's also through setRevealAnswers). */
  setClassRevealAnswers(classId: number, on: boolean): Promise<void>;

  getSetting(name: string): Promise<string | undefined>;
  setSetting(name: string, value: string): Promise<void>;
  /** The default class's reveal switch as last read or written here (another instance's switch: refreshSettings). */
  readonly revealAnswers: boolean;
  /** The default class's reveal switch. */
  setRevealAnswers(on: boolean): Promise<void>;
  /** Reads the settings and the default class's reveal switch again (another instance switched one: pg-events says so). */
  refreshSettings(): Promise<void>;

  close(): Promise<void>;
}
