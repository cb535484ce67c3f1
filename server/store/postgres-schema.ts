// The PostgreSQL store's schema, as migrations: MIGRATIONS[i] takes a database from version i
// to i + 1 (recorded in schema_migrations). Add one to change the schema, never edit an old
// one. Version 1 holds what SQLite's lab-store.ts holds at its version 3 (labs, devices,
// settings, Check results, ended labs' Check results), plus what several instances need:
// lab numbers from a sequence, and which instance serves each lab.
// Two instances starting at once migrate one after the other: the migration runs under a
// transaction-scoped advisory lock, and the second finds the work done.

import type pg from 'pg';

const MIGRATIONS: readonly string[] = [
  `CREATE SEQUENCE lab_numbers;
   CREATE TABLE labs (
     code TEXT PRIMARY KEY,
     number INTEGER NOT NULL UNIQUE,
     created_at BIGINT NOT NULL,
     -- The instance (--instance-name) serving it, and since when (ms since the epoch).
     owner TEXT,
     owner_since BIGINT
   );
   CREATE TABLE devices (
     lab_code TEXT NOT NULL REFERENCES labs(code),
     id INTEGER NOT NULL,
     key TEXT NOT NULL,
     last_seen BIGINT NOT NULL,
     PRIMARY KEY (lab_code, id),
     UNIQUE (lab_code, key)
   );
   CREATE TABLE settings (
     name TEXT PRIMARY KEY,
     value TEXT NOT NULL
   );
   CREATE TABLE check_results (
     lab_code TEXT NOT NULL,
     device_id INTEGER NOT NULL,
     question INTEGER NOT NULL,
     passed BOOLEAN NOT NULL,
     scenarios JSONB NOT NULL,
     at BIGINT NOT NULL,
     PRIMARY KEY (lab_code, device_id, question),
     FOREIGN KEY (lab_code, device_id) REFERENCES devices(lab_code, id)
   );
   CREATE TABLE ended_check_results (
     lab_code TEXT NOT NULL,
     lab_number INTEGER NOT NULL,
     lab_created_at BIGINT NOT NULL,
     lab_ended_at BIGINT NOT NULL,
     device_id INTEGER NOT NULL,
     question INTEGER NOT NULL,
     passed BOOLEAN NOT NULL,
     scenarios JSONB NOT NULL,
     at BIGINT NOT NULL,
     PRIMARY KEY (lab_code, lab_created_at, device_id, question)
   );`,
];

export const PG_SCHEMA_VERSION = MIGRATIONS.length;

/** The advisory lock every instance's migration takes (any constant; this one spells "SLAB"). */
const MIGRATION_LOCK = 0x534c4142;

export type MigrationResult = { ok: true; from: number } | { ok: false; newer: number } | { ok: false; foreign: string[] };

/**
 * Brings the database to PG_SCHEMA_VERSION inside one transaction, or says why it cannot: a
 * newer schema than this code knows, or tables that are not Socket Lab's (never a silent
 * fresh start over someone else's data).
 */
export async function migrate(client: pg.ClientBase): Promise<MigrationResult> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const tables = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
    );
    const names = tables.rows.map((r) => r.name);
    if (!names.includes('schema_migrations')) {
      if (names.length > 0) {
        await client.query('ROLLBACK');
        return { ok: false, foreign: names };
      }
      await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    }
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
    const from = rows[0]?.version ?? 0;
    if (from > PG_SCHEMA_VERSION) {
      await client.query('ROLLBACK');
      return { ok: false, newer: from };
    }
    for (let v = from; v < PG_SCHEMA_VERSION; v++) {
      await client.query(MIGRATIONS[v]!);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v + 1]);
    }
    await client.query('COMMIT');
    return { ok: true, from };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}
