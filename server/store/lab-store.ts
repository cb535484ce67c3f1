// What a teacher would hate to lose, in an embedded SQLite database in the data folder: labs
// and their codes, devices (their keys and ids, hence their lab addresses) and the settings.
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
const MIGRATIONS: readonly string[] = [
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
];
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The data folder or its database cannot be used; start-up stops with this message. */
export class StoreError extends Error {}

export interface StoredDevice {
  id: number;
  key: string;
}

export interface StoredLab {
  code: string;
  number: number;
  createdAt: number;
  devices: StoredDevice[];
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

const REVEAL_ANSWERS = 'reveal_answers';

export class LabStore {
  private revealAnswersValue: boolean;
  private readonly insertLabStmt: Database.Statement<[string, number, number]>;
  private readonly insertDeviceStmt: Database.Statement<[string, number, string]>;
  private readonly setSettingStmt: Database.Statement<[string, string]>;

  private constructor(
    private readonly db: Database.Database,
    /** Where it lives, for messages; ':memory:' when nothing is kept. */
    readonly location: string,
  ) {
    this.insertLabStmt = db.prepare('INSERT INTO labs (code, number, created_at) VALUES (?, ?, ?)');
    this.insertDeviceStmt = db.prepare('INSERT INTO devices (lab_code, id, key) VALUES (?, ?, ?)');
    this.setSettingStmt = db.prepare(
      'INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value',
    );
    this.revealAnswersValue = this.getSetting(REVEAL_ANSWERS) === '1';
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
    const labs = this.db.prepare('SELECT code, number, created_at AS createdAt FROM labs ORDER BY number').all() as Omit<StoredLab, 'devices'>[];
    const devices = this.db.prepare('SELECT lab_code AS labCode, id, key FROM devices ORDER BY lab_code, id').all() as (StoredDevice & {
      labCode: string;
    })[];
    const byLab = new Map<string, StoredLab>(labs.map((l) => [l.code, { ...l, devices: [] }]));
    for (const d of devices) byLab.get(d.labCode)?.devices.push({ id: d.id, key: d.key });
    return [...byLab.values()];
  }

  insertLab(code: string, number: number, createdAt: number): void {
    this.insertLabStmt.run(code, number, createdAt);
  }

  insertDevice(labCode: string, id: number, key: string): void {
    this.insertDeviceStmt.run(labCode, id, key);
  }

  /** A lab and its devices, gone (the teacher closed it). */
  deleteLab(code: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM check_results WHERE lab_code = ?').run(code);
      this.db.prepare('DELETE FROM devices WHERE lab_code = ?').run(code);
      this.db.prepare('DELETE FROM labs WHERE code = ?').run(code);
    })();
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

  /** Every kept Check result, by lab, device and question. */
  checkResults(): StoredCheckResult[] {
    const rows = this.db
      .prepare('SELECT lab_code AS lab, device_id AS deviceId, question, passed, scenarios, at FROM check_results ORDER BY lab_code, device_id, question')
      .all() as { lab: string; deviceId: number; question: number; passed: number; scenarios: string; at: number }[];
    return rows.map((r) => ({ ...r, passed: r.passed === 1, scenarios: JSON.parse(r.scenarios) as StoredCheckResult['scenarios'] }));
  }

  getSetting(name: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE name = ?').get(name) as { value: string } | undefined;
    return row?.value;
  }

  setSetting(name: string, value: string): void {
    this.setSettingStmt.run(name, value);
  }

  /** The reveal-answers switch: kept across restarts; `--reveal-answers` turns it on at start. */
  get revealAnswers(): boolean {
    return this.revealAnswersValue;
  }

  setRevealAnswers(on: boolean): void {
    this.setSetting(REVEAL_ANSWERS, on ? '1' : '0');
    this.revealAnswersValue = on;
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
