// What a teacher would hate to lose, in an embedded SQLite database in the data folder: labs
// and their codes, devices (their keys and ids, hence their lab addresses, and when each was
// last seen), Check results (those of removed labs too), the classes (each with its teacher's
// token and reveal switch; labs belong to one) and the settings.
// Programs and sockets are not kept: after a restart they are gone, as after a reboot.
// Writes go straight through (better-sqlite3 is synchronous; a class is a few hundred rows).

import Database from 'better-sqlite3';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The database's file name inside the data folder. */
export const DB_FILE = 'socket-lab.db';

/**
 * The schema version this code writes (`PRAGMA user_version`). MIGRATIONS[i] takes a database
 * from version i to i + 1; add one to change the schema, never edit an old one.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE labs (
     code TEXT PRIMARY KEY,
     number INTEGER NOT NULL UNIQUE,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE devices (
     lab_code TEXT NOT NULL REFERENCES labs(code),
     id INTEGER NOT NULL,
     key TEXT NOT NULL,
     PRIMARY KEY (lab_code, id),
     UNIQUE (lab_code, key)
   );
   CREATE TABLE settings (
     name TEXT PRIMARY KEY,
     value TEXT NOT NULL
   );`,
  // Check results: the last one per device and question (shared/checks/check-report.ts).
  `CREATE TABLE check_results (
     lab_code TEXT NOT NULL,
     device_id INTEGER NOT NULL,
     question INTEGER NOT NULL,
     passed INTEGER NOT NULL,
     scenarios TEXT NOT NULL,
     at INTEGER NOT NULL,
     PRIMARY KEY (lab_code, device_id, question),
     FOREIGN KEY (lab_code, device_id) REFERENCES devices(lab_code, id)
   );`,
  // Labs that end (--lab-retention): when each device was last seen, so a restart knows how long
  // a lab has been unused; and the Check results of removed labs, kept for the teacher's CSV
  // (apart from check_results, whose rows belong to live devices: a freed code may be reused).
  // Devices from before this version count as seen at the upgrade: their real last use is not
  // known, and removing a lab a class may still use is worse than keeping one a while longer.
  `ALTER TABLE devices ADD COLUMN last_seen INTEGER NOT NULL DEFAULT 0;
   UPDATE devices SET last_seen = CAST(strftime('%s', 'now') AS INTEGER) * 1000;
   CREATE TABLE ended_check_results (
     lab_code TEXT NOT NULL,
     lab_number INTEGER NOT NULL,
     lab_created_at INTEGER NOT NULL,
     lab_ended_at INTEGER NOT NULL,
     device_id INTEGER NOT NULL,
     question INTEGER NOT NULL,
     passed INTEGER NOT NULL,
     scenarios TEXT NOT NULL,
     at INTEGER NOT NULL,
     PRIMARY KEY (lab_code, lab_created_at, device_id, question)
   );`,
  // Classes: the administrator makes them; each has its own teacher's token, join URL
  // (/class/SLUG) and reveal switch, and every lab is in one. Class 1 is the default class, the
  // one a server has before any is made: its teacher is the administrator (no token of its own:
  // --teacher-token), its join URL is / and its reveal switch is the one from before this
  // version (the reveal_answers setting, moved here). Labs and ended Check results of before
  // are the default class's. No REFERENCES on the added columns: SQLite cannot add a column
  // with a foreign key and a default other than NULL; the server only ever writes a class's id.
  `CREATE TABLE classes (
     id INTEGER PRIMARY KEY,
     name TEXT NOT NULL,
     name_key TEXT NOT NULL UNIQUE,
     slug TEXT NOT NULL UNIQUE,
     token TEXT UNIQUE,
     reveal_answers INTEGER NOT NULL DEFAULT 0,
     created_at INTEGER NOT NULL
   );
   INSERT INTO classes (id, name, name_key, slug, token, reveal_answers, created_at)
     VALUES (1, 'Default class', 'default class', '', NULL,
             COALESCE((SELECT value = '1' FROM settings WHERE name = 'reveal_answers'), 0),
             CAST(strftime('%s', 'now') AS INTEGER) * 1000);
   DELETE FROM settings WHERE name = 'reveal_answers';
   ALTER TABLE labs ADD COLUMN class_id INTEGER NOT NULL DEFAULT 1;
   ALTER TABLE ended_check_results ADD COLUMN class_id INTEGER NOT NULL DEFAULT 1;`,
];
/** The class every lab of a server with no class made belongs to (migration 4 makes it). */
export const DEFAULT_CLASS_ID = 1;
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The data folder or its database cannot be used; start-up stops with this message. */
export class StoreError extends Error {}

export interface StoredDevice {
  id: number;
  key: string;
  /** When a console of it last opened or closed (or was open at a sweep), ms since the epoch. */
  lastSeen: number;
}

export interface StoredLab {
  code: string;
  number: number;
  createdAt: number;
  /** The class it was made in (DEFAULT_CLASS_ID for labs of before classes). */
  classId: number;
  devices: StoredDevice[];
}

export interface StoredClass {
  id: number;
  name: string;
  /** The name as compared for duplicates (shared/class-name.ts classNameKey). */
  nameKey: string;
  /** The last part of its join URL, /class/SLUG; '' for the default class, whose join URL is /. */
  slug: string;
  /** Its teacher's token; null for the default class, whose teacher is the administrator. */
  token: string | null;
  revealAnswers: boolean;
  createdAt: number;
}

export interface StoredCheckResult {
  lab: string;
  deviceId: number;
  question: number;
  passed: boolean;
  scenarios: { name: string; passed: boolean }[];
  /** When the server received it, ms since the epoch. */
  at: number;
}

/** A kept Check result as the teacher reads it, from a live lab or one removed as ended. */
export interface KeptCheckResult extends StoredCheckResult {
  /** The lab's number (its devices' addresses are 10.N.0.x). */
  labNumber: number;
  /** The lab was removed after its retention (its code may now be another lab's). */
  labEnded: boolean;
}

export class LabStore {
  private readonly insertLabStmt: Database.Statement<[string, number, number, number]>;
  private readonly insertDeviceStmt: Database.Statement<[string, number, string, number]>;
  private readonly setSettingStmt: Database.Statement<[string, string]>;
  private readonly setLastSeenStmt: Database.Statement<[number, string, number]>;
  /** Devices' last-seen times not yet written, by `code#id`: see noteDeviceSeen. */
  private readonly unsavedSeen = new Map<string, { code: string; id: number; at: number }>();

  private constructor(
    private readonly db: Database.Database,
    /** Where it lives, for messages; ':memory:' when nothing is kept. */
    readonly location: string,
  ) {
    this.insertLabStmt = db.prepare('INSERT INTO labs (code, number, created_at, class_id) VALUES (?, ?, ?, ?)');
    this.insertDeviceStmt = db.prepare('INSERT INTO devices (lab_code, id, key, last_seen) VALUES (?, ?, ?, ?)');
    this.setLastSeenStmt = db.prepare('UPDATE devices SET last_seen = ? WHERE lab_code = ? AND id = ?');
    this.setSettingStmt = db.prepare(
      'INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value',
    );
  }

  /**
   * Opens (creating if need be) the database in `dataDir`, or an in-memory one when it is
   * null (tests). Throws StoreError, with the path and what to do, when the folder cannot be
   * written or the file is not a Socket Lab database: never a silent fresh start.
   */
  static open(dataDir: string | null): LabStore {
    if (dataDir === null) return LabStore.init(new Database(':memory:'), ':memory:');
    const dir = resolve(dataDir);
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
    } catch (err) {
      throw new StoreError(`data folder ${dir} cannot be created or written (${reason(err)}); choose another with --data DIR`);
    }
    const file = join(dir, DB_FILE);
    let db: Database.Database;
    try {
      db = new Database(file);
    } catch (err) {
      throw new StoreError(`cannot open the database ${file} (${reason(err)}); check the data folder's permissions or choose another with --data DIR`);
    }
    try {
      return LabStore.init(db, file);
    } catch (err) {
      db.close();
      if (err instanceof StoreError) throw err;
      throw new StoreError(
        `the database ${file} cannot be used (${reason(err)}); it may be corrupt: ` +
          `restore a backup, or move it away to start with no labs`,
      );
    }
  }

  private static init(db: Database.Database, location: string): LabStore {
    // Each of these reads or writes the file, so a corrupt or read-only one fails here, at start-up.
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`integrity check: ${String(check)}`);
    db.pragma('foreign_keys = ON');
    if (location !== ':memory:') db.pragma('journal_mode = WAL');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new StoreError(
        `the database ${location} has schema version ${version}, newer than this Socket Lab's ${SCHEMA_VERSION}; ` +
          'run a newer Socket Lab, or choose another folder with --data DIR',
      );
    }
    if (version === 0) {
      const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
      if (tables.n > 0) throw new StoreError(`the database ${location} is not a Socket Lab database (it has other tables); choose another folder with --data DIR`);
    }
    db.transaction(() => {
      for (let v = version; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
      // A write on every start: a file that cannot be written is found now, not at the first new lab.
      db.prepare("INSERT INTO settings (name, value) VALUES ('last_started', ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value").run(
        new Date().toISOString(),
      );
    })();
    return new LabStore(db, location);
  }

  /** Every lab with its devices, in the order they were made. */
  loadLabs(): StoredLab[] {
    const labs = this.db
      .prepare('SELECT code, number, created_at AS createdAt, class_id AS classId FROM labs ORDER BY number')
      .all() as Omit<StoredLab, 'devices'>[];
    const devices = this.db
      .prepare('SELECT lab_code AS labCode, id, key, last_seen AS lastSeen FROM devices ORDER BY lab_code, id')
      .all() as (StoredDevice & { labCode: string })[];
    const byLab = new Map<string, StoredLab>(labs.map((l) => [l.code, { ...l, devices: [] }]));
    for (const d of devices) byLab.get(d.labCode)?.devices.push({ id: d.id, key: d.key, lastSeen: d.lastSeen });
    return [...byLab.values()];
  }

  insertLab(code: string, number: number, createdAt: number, classId = DEFAULT_CLASS_ID): void {
    this.insertLabStmt.run(code, number, createdAt, classId);
  }

  /** Every class, the default one first, then in the order they were made. */
  loadClasses(): StoredClass[] {
    const rows = this.db
      .prepare(
        `SELECT id, name, name_key AS nameKey, slug, token, reveal_answers AS revealAnswers, created_at AS createdAt
           FROM classes ORDER BY id`,
      )
      .all() as (Omit<StoredClass, 'revealAnswers'> & { revealAnswers: number })[];
    return rows.map((r) => ({ ...r, revealAnswers: r.revealAnswers === 1 }));
  }

  /**
   * A new class, its reveal switch off; returns its id. The name's key, the slug and the token
   * must be new (server/classes/class-registry.ts checks; the UNIQUE constraints are the backstop).
   */
  insertClass(c: { name: string; nameKey: string; slug: string; token: string; createdAt: number }): number {
    const result = this.db
      .prepare('INSERT INTO classes (name, name_key, slug, token, reveal_answers, created_at) VALUES (?, ?, ?, ?, 0, ?)')
      .run(c.name, c.nameKey, c.slug, c.token, c.createdAt);
    return Number(result.lastInsertRowid);
  }

  /** A class's reveal switch, kept across restarts. */
  setClassRevealAnswers(classId: number, on: boolean): void {
    this.db.prepare('UPDATE classes SET reveal_answers = ? WHERE id = ?').run(on ? 1 : 0, classId);
  }

  /**
   * A new lab in a class, numbered after `after` and after every lab in the database, in one write
   * transaction: lab workers (--workers N) share the database, and two of them making labs at
   * once must not pick the same number (SQLite's lock makes them take turns; its busy timeout,
   * better-sqlite3's 5 s, makes the second wait rather than fail). Returns the number.
   */
  insertNextLab(code: string, createdAt: number, after: number, classId = DEFAULT_CLASS_ID): number {
    return this.db
      .transaction(() => {
        const row = this.db.prepare('SELECT MAX(number) AS n FROM labs').get() as { n: number | null };
        const number = Math.max(after, row.n ?? 0) + 1;
        this.insertLabStmt.run(code, number, createdAt, classId);
        return number;
      })
      .immediate();
  }

  insertDevice(labCode: string, id: number, key: string, lastSeen: number): void {
    this.insertDeviceStmt.run(labCode, id, key, lastSeen);
  }

  /**
   * A device was seen (a console opened or closed). Kept in memory until flushSeen (the lab
   * sweep's, every minute, and close's): a class reconnecting after a restart is hundreds of
   * these at once, one transaction rather than hundreds of synchronous writes. A crash loses
   * at most a minute of them, which moves a lab's end by as much.
   */
  noteDeviceSeen(labCode: string, id: number, at: number): void {
    this.unsavedSeen.set(`${labCode}#${id}`, { code: labCode, id, at });
  }

  /** Writes the devices' last-seen times noted since the last flush. */
  flushSeen(): void {
    // After close (a console that closes while the server stops): nothing can be written.
    if (this.unsavedSeen.size === 0 || !this.db.open) return;
    const pending = [...this.unsavedSeen.values()];
    this.unsavedSeen.clear();
    this.db.transaction(() => {
      for (const p of pending) this.setLastSeenStmt.run(p.at, p.code, p.id);
    })();
  }

  /** A lab and its devices, gone with their Check results (the teacher closed it). */
  deleteLab(code: string): void {
    this.forgetUnsavedSeen(code);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM check_results WHERE lab_code = ?').run(code);
      this.db.prepare('DELETE FROM devices WHERE lab_code = ?').run(code);
      this.db.prepare('DELETE FROM labs WHERE code = ?').run(code);
    })();
  }

  /**
   * A lab that ended (no console for the retention): it and its devices are gone and its code
   * is free, but its devices' Check results move to ended_check_results for the teacher.
   */
  removeEndedLab(code: string, endedAt: number): void {
    this.forgetUnsavedSeen(code);
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT OR REPLACE INTO ended_check_results
             (lab_code, lab_number, lab_created_at, lab_ended_at, device_id, question, passed, scenarios, at, class_id)
           SELECT c.lab_code, l.number, l.created_at, ?, c.device_id, c.question, c.passed, c.scenarios, c.at, l.class_id
             FROM check_results c JOIN labs l ON l.code = c.lab_code WHERE c.lab_code = ?`,
        )
        .run(endedAt, code);
      this.db.prepare('DELETE FROM check_results WHERE lab_code = ?').run(code);
      this.db.prepare('DELETE FROM devices WHERE lab_code = ?').run(code);
      this.db.prepare('DELETE FROM labs WHERE code = ?').run(code);
    })();
  }

  /** A removed lab's devices must not be written later, over a new lab that took its code. */
  private forgetUnsavedSeen(code: string): void {
    for (const [key, p] of this.unsavedSeen) if (p.code === code) this.unsavedSeen.delete(key);
  }

  /** A device's Check result for a question, replacing its last one. */
  saveCheckResult(result: StoredCheckResult): void {
    this.db
      .prepare(
        `INSERT INTO check_results (lab_code, device_id, question, passed, scenarios, at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(lab_code, device_id, question) DO UPDATE SET passed = excluded.passed, scenarios = excluded.scenarios, at = excluded.at`,
      )
      .run(result.lab, result.deviceId, result.question, result.passed ? 1 : 0, JSON.stringify(result.scenarios), result.at);
  }

  /**
   * Every kept Check result, of live labs and of labs removed as ended, by lab, device and
   * question; only those of one class's labs when `classId` is given.
   */
  checkResults(classId?: number): KeptCheckResult[] {
    const all = classId === undefined ? 1 : 0;
    const rows = this.db
      .prepare(
        `SELECT c.lab_code AS lab, l.number AS labNumber, 0 AS labEnded, c.device_id AS deviceId, c.question, c.passed, c.scenarios, c.at
           FROM check_results c JOIN labs l ON l.code = c.lab_code WHERE ? OR l.class_id = ?
         UNION ALL
         SELECT lab_code, lab_number, 1, device_id, question, passed, scenarios, at FROM ended_check_results WHERE ? OR class_id = ?
         ORDER BY lab, labEnded, deviceId, question`,
      )
      .all(all, classId ?? 0, all, classId ?? 0) as { lab: string; labNumber: number; labEnded: number; deviceId: number; question: number; passed: number; scenarios: string; at: number }[];
    return rows.map((r) => ({
      ...r,
      labEnded: r.labEnded === 1,
      passed: r.passed === 1,
      scenarios: JSON.parse(r.scenarios) as StoredCheckResult['scenarios'],
    }));
  }

  getSetting(name: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE name = ?').get(name) as { value: string } | undefined;
    return row?.value;
  }

  setSetting(name: string, value: string): void {
    this.setSettingStmt.run(name, value);
  }

  /**
   * The default class's reveal-answers switch (the server's only one before classes): kept
   * across restarts; `--reveal-answers` turns it on at start. Other classes' switches are read
   * with loadClasses and kept by server/classes/class-registry.ts.
   */
  get revealAnswers(): boolean {
    const row = this.db.prepare('SELECT reveal_answers AS on_ FROM classes WHERE id = ?').get(DEFAULT_CLASS_ID) as { on_: number } | undefined;
    return row?.on_ === 1;
  }

  setRevealAnswers(on: boolean): void {
    this.setClassRevealAnswers(DEFAULT_CLASS_ID, on);
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  close(): void {
    this.flushSeen();
    if (this.db.open) this.db.close();
  }
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
