// The store in PostgreSQL (--database postgres://...), for several instances sharing one
// database: the same data as SQLite's lab-store.ts, behind the async interface of
// async-lab-store.ts. Times are BIGINT milliseconds, read back as numbers; Check scenarios
// are JSONB. A connection pool of a few clients: an instance's writes are small and rare
// (a lab, a device, a Check result, a minute's last-seen times in one statement).

import pg from 'pg';
import { DEFAULT_CLASS_ID, StoreError } from './lab-store.ts';
import type { AsyncLabStore, CreatedLab, KeptCheckResult, NewClass, StoredCheckResult, StoredClass, StoredLab } from './async-lab-store.ts';
import { migrate, PG_SCHEMA_VERSION } from './postgres-schema.ts';
import { redactedDatabaseUrl } from './database-url.ts';

/** Enough for an instance's bursts (a class reconnecting); PostgreSQL's default allows 100 in all. */
const POOL_SIZE = 5;
/** A database that does not answer stops start-up in this long, not never. */
const CONNECT_TIMEOUT_MS = 10_000;
const INT8_OID = 20;

/** BIGINT as a number: milliseconds since the epoch fit a double exactly. */
const TYPES = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID ? (text: string) => Number(text) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export interface PostgresStoreOptions {
  /** An idle connection failed (the database restarted): told, the pool makes a new one when next needed. */
  connectionLost?(err: Error): void;
}

interface LabRow {
  code: string;
  number: number;
  createdAt: number;
  classId: number;
}

const LAB_COLUMNS = 'code, number, created_at AS "createdAt", class_id AS "classId"';
const CLASS_COLUMNS = 'id, name, name_key AS "nameKey", slug, token, reveal_answers AS "revealAnswers", created_at AS "createdAt"';
/** PostgreSQL's SQLSTATE for a UNIQUE constraint broken. */
const UNIQUE_VIOLATION = '23505';

interface DeviceRow {
  labCode: string;
  id: number;
  key: string;
  lastSeen: number;
}

export class PostgresLabStore implements AsyncLabStore {
  private revealAnswersValue = false;
  private readonly unsavedSeen = new Map<string, { code: string; id: number; at: number }>();
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {}

  /**
   * Connects, migrates and reads the settings. Throws StoreError, naming the database without
   * its password and saying what to do, when it cannot be reached or used.
   */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresLabStore> {
    const location = shownUrl(url);
    const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, types: TYPES });
    pool.on('error', (err) => options.connectionLost?.(err));
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      await pool.end().catch(() => {});
      throw new StoreError(`cannot connect to the database ${location} (${reason(err)}); check that PostgreSQL runs there and the URL's user, password and database (--database)`);
    }
    try {
      const result = await migrate(client);
      if (!result.ok && 'newer' in result) {
        throw new StoreError(
          `the database ${location} has schema version ${result.newer}, newer than this Socket Lab's ${PG_SCHEMA_VERSION}; run a newer Socket Lab, or give another database with --database`,
        );
      }
      if (!result.ok) {
        throw new StoreError(`the database ${location} is not a Socket Lab database (it has tables ${result.foreign.join(', ')}); create an empty one for it (createdb) and give that with --database`);
      }
      // A write on every start: a database this user cannot write is found now, not at the first lab.
      await client.query(
        `INSERT INTO settings (name, value) VALUES ('last_started', $1) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
        [new Date().toISOString()],
      );
    } catch (err) {
      client.release();
      await pool.end().catch(() => {});
      if (err instanceof StoreError) throw err;
      throw new StoreError(`the database ${location} cannot be used (${reason(err)}); check the user's rights on it`);
    }
    client.release();
    const store = new PostgresLabStore(pool, location);
    await store.refreshSettings();
    return store;
  }

  get schemaVersion(): number {
    return PG_SCHEMA_VERSION;
  }

  async loadLabs(): Promise<StoredLab[]> {
    const labs = await this.pool.query<LabRow>(`SELECT ${LAB_COLUMNS} FROM labs ORDER BY number`);
    const devices = await this.pool.query<DeviceRow>(
      'SELECT lab_code AS "labCode", id, key, last_seen AS "lastSeen" FROM devices ORDER BY lab_code, id',
    );
    const byLab = new Map<string, StoredLab>(labs.rows.map((l) => [l.code, { ...l, devices: [] }]));
    for (const d of devices.rows) byLab.get(d.labCode)?.devices.push({ id: d.id, key: d.key, lastSeen: d.lastSeen });
    return [...byLab.values()];
  }

  async findLab(code: string): Promise<StoredLab | null> {
    const upper = code.toUpperCase();
    const lab = await this.pool.query<LabRow>(`SELECT ${LAB_COLUMNS} FROM labs WHERE code = $1`, [upper]);
    const row = lab.rows[0];
    if (!row) return null;
    const devices = await this.pool.query<DeviceRow>('SELECT id, key, last_seen AS "lastSeen" FROM devices WHERE lab_code = $1 ORDER BY id', [upper]);
    return { ...row, devices: devices.rows.map((d) => ({ id: d.id, key: d.key, lastSeen: d.lastSeen })) };
  }

  async createLab(code: string, createdAt: number, classId = DEFAULT_CLASS_ID): Promise<CreatedLab | null> {
    // The number from the sequence: unique across instances, never reused (a code that was
    // taken uses one up, which only leaves a gap).
    const { rows } = await this.pool.query<{ number: number }>(
      `INSERT INTO labs (code, number, created_at, class_id) VALUES ($1, nextval('lab_numbers'), $2, $3) ON CONFLICT (code) DO NOTHING RETURNING number`,
      [code, createdAt, classId],
    );
    return rows[0] ? { code, number: rows[0].number, createdAt } : null;
  }

  async claimLab(code: string, instance: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ previous: string | null }>(
      `UPDATE labs l SET owner = $2, owner_since = $3
         FROM (SELECT code, owner AS previous FROM labs WHERE code = $1 FOR UPDATE) p
        WHERE l.code = p.code RETURNING p.previous`,
      [code.toUpperCase(), instance, Date.now()],
    );
    const previous = rows[0]?.previous ?? null;
    return previous === instance ? null : previous;
  }

  async labOwner(code: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ owner: string | null }>('SELECT owner FROM labs WHERE code = $1', [code.toUpperCase()]);
    return rows[0]?.owner ?? null;
  }

  /** The labs of a class and the instance serving each (null: none yet), for a teacher's page on any instance. */
  async classLabOwners(classId: number): Promise<{ code: string; owner: string | null }[]> {
    const { rows } = await this.pool.query<{ code: string; owner: string | null }>('SELECT code, owner FROM labs WHERE class_id = $1 ORDER BY number', [classId]);
    return rows;
  }

  /** How many labs each class has (by class id; a class with none is missing), on every instance. */
  async labCountsByClass(): Promise<Map<number, number>> {
    const { rows } = await this.pool.query<{ classId: number; labs: number }>('SELECT class_id AS "classId", count(*)::int AS labs FROM labs GROUP BY class_id');
    return new Map(rows.map((r) => [r.classId, r.labs]));
  }

  async insertDevice(labCode: string, id: number, key: string, lastSeen: number): Promise<void> {
    await this.pool.query('INSERT INTO devices (lab_code, id, key, last_seen) VALUES ($1, $2, $3, $4)', [labCode, id, key, lastSeen]);
  }

  noteDeviceSeen(labCode: string, id: number, at: number): void {
    this.unsavedSeen.set(`${labCode}#${id}`, { code: labCode, id, at });
  }

  async flushSeen(): Promise<void> {
    if (this.unsavedSeen.size === 0 || this.closed) return;
    const pending = [...this.unsavedSeen.values()];
    this.unsavedSeen.clear();
    // One statement for the lot; GREATEST, so a time never moves back (two instances that
    // both served a device, one after the other, flush in either order).
    await this.pool.query(
      `UPDATE devices d SET last_seen = GREATEST(d.last_seen, v.at)
         FROM unnest($1::text[], $2::int[], $3::int8[]) AS v(code, id, at)
        WHERE d.lab_code = v.code AND d.id = v.id`,
      [pending.map((p) => p.code), pending.map((p) => p.id), pending.map((p) => p.at)],
    );
  }

  async deleteLab(code: string): Promise<void> {
    this.forgetUnsavedSeen(code);
    await this.transaction(async (client) => {
      await client.query('DELETE FROM check_results WHERE lab_code = $1', [code]);
      await client.query('DELETE FROM devices WHERE lab_code = $1', [code]);
      await client.query('DELETE FROM labs WHERE code = $1', [code]);
    });
  }

  async removeEndedLab(code: string, endedAt: number): Promise<void> {
    this.forgetUnsavedSeen(code);
    await this.transaction((client) => removeEnded(client, [code], endedAt));
  }

  async removeEndedLabs(cutoff: number, endedAt: number): Promise<string[]> {
    const codes = await this.transaction(async (client) => {
      // Locked, and skipped when another instance's sweep holds them: each lab ends once.
      const { rows } = await client.query<{ code: string }>(
        `SELECT code FROM labs l
          WHERE GREATEST(l.created_at, COALESCE((SELECT max(last_seen) FROM devices d WHERE d.lab_code = l.code), 0)) < $1
          ORDER BY number FOR UPDATE SKIP LOCKED`,
        [cutoff],
      );
      const ended = rows.map((r) => r.code);
      if (ended.length > 0) await removeEnded(client, ended, endedAt);
      return ended;
    });
    for (const code of codes) this.forgetUnsavedSeen(code);
    return codes;
  }

  private forgetUnsavedSeen(code: string): void {
    for (const [key, p] of this.unsavedSeen) if (p.code === code) this.unsavedSeen.delete(key);
  }

  async saveCheckResult(result: StoredCheckResult): Promise<void> {
    await this.pool.query(
      `INSERT INTO check_results (lab_code, device_id, question, passed, scenarios, at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (lab_code, device_id, question) DO UPDATE SET passed = excluded.passed, scenarios = excluded.scenarios, at = excluded.at`,
      [result.lab, result.deviceId, result.question, result.passed, JSON.stringify(result.scenarios), result.at],
    );
  }

  async checkResults(classId?: number): Promise<KeptCheckResult[]> {
    const { rows } = await this.pool.query<KeptCheckResult>(
      // Codes in byte order (COLLATE "C"), as SQLite sorts them, whatever the database's locale.
      `SELECT * FROM (
         SELECT c.lab_code AS lab, l.number AS "labNumber", false AS "labEnded", c.device_id AS "deviceId", c.question, c.passed, c.scenarios, c.at
           FROM check_results c JOIN labs l ON l.code = c.lab_code WHERE $1::int IS NULL OR l.class_id = $1
         UNION ALL
         SELECT lab_code, lab_number, true, device_id, question, passed, scenarios, at FROM ended_check_results
          WHERE $1::int IS NULL OR class_id = $1
       ) kept ORDER BY lab COLLATE "C", "labEnded", "deviceId", question`,
      [classId ?? null],
    );
    return rows;
  }

  async loadClasses(): Promise<StoredClass[]> {
    const { rows } = await this.pool.query<StoredClass>(`SELECT ${CLASS_COLUMNS} FROM classes ORDER BY id`);
    return rows;
  }

  async insertClass(c: NewClass): Promise<number | null> {
    try {
      const { rows } = await this.pool.query<{ id: number }>(
        'INSERT INTO classes (name, name_key, slug, token, reveal_answers, created_at) VALUES ($1, $2, $3, $4, false, $5) RETURNING id',
        [c.name, c.nameKey, c.slug, c.token, c.createdAt],
      );
      return rows[0]!.id;
    } catch (err) {
      // Taken on another instance (or this one): the caller picks another name, slug or token.
      if ((err as { code?: unknown }).code === UNIQUE_VIOLATION) return null;
      throw err;
    }
  }

  async setClassRevealAnswers(classId: number, on: boolean): Promise<void> {
    await this.pool.query('UPDATE classes SET reveal_answers = $2 WHERE id = $1', [classId, on]);
    if (classId === DEFAULT_CLASS_ID) this.revealAnswersValue = on;
  }

  async getSetting(name: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ value: string }>('SELECT value FROM settings WHERE name = $1', [name]);
    return rows[0]?.value;
  }

  async setSetting(name: string, value: string): Promise<void> {
    await this.pool.query('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value', [name, value]);
  }

  get revealAnswers(): boolean {
    return this.revealAnswersValue;
  }

  async setRevealAnswers(on: boolean): Promise<void> {
    await this.setClassRevealAnswers(DEFAULT_CLASS_ID, on);
  }

  async refreshSettings(): Promise<void> {
    const { rows } = await this.pool.query<{ reveal: boolean }>('SELECT reveal_answers AS reveal FROM classes WHERE id = $1', [DEFAULT_CLASS_ID]);
    this.revealAnswersValue = rows[0]?.reveal === true;
  }

  /** Writes what is noted, then ends the pool's connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    // A database already gone at shutdown: the last minute's sightings are lost, as on a crash.
    await this.flushSeen().catch(() => {});
    this.closed = true;
    await this.pool.end();
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }
}

/** Labs that ended: their devices' Check results kept as ended (in the lab's class), then they and their devices gone. */
async function removeEnded(client: pg.ClientBase, codes: string[], endedAt: number): Promise<void> {
  await client.query(
    `INSERT INTO ended_check_results (lab_code, lab_number, lab_created_at, lab_ended_at, device_id, question, passed, scenarios, at, class_id)
     SELECT c.lab_code, l.number, l.created_at, $2, c.device_id, c.question, c.passed, c.scenarios, c.at, l.class_id
       FROM check_results c JOIN labs l ON l.code = c.lab_code WHERE c.lab_code = ANY($1)
     ON CONFLICT (lab_code, lab_created_at, device_id, question) DO UPDATE
       SET lab_ended_at = excluded.lab_ended_at, passed = excluded.passed, scenarios = excluded.scenarios, at = excluded.at,
           class_id = excluded.class_id`,
    [codes, endedAt],
  );
  await client.query('DELETE FROM check_results WHERE lab_code = ANY($1)', [codes]);
  await client.query('DELETE FROM devices WHERE lab_code = ANY($1)', [codes]);
  await client.query('DELETE FROM labs WHERE code = ANY($1)', [codes]);
}

function shownUrl(url: string): string {
  try {
    return redactedDatabaseUrl(new URL(url));
  } catch {
    return '(the --database URL)';
  }
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
