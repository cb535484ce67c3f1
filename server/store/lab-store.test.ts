import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DB_FILE, LabStore, SCHEMA_VERSION, StoreError } from './lab-store.ts';
import { LabRegistry } from '../lab/lab-registry.ts';
import { parseConfig, OPTIONS_HELP } from '../config.ts';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'socket-lab-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a new database gets the current schema version', (t) => {
  const dir = tempDir(t);
  const store = LabStore.open(dir);
  assert.equal(store.schemaVersion, SCHEMA_VERSION);
  assert.equal(store.location, join(dir, DB_FILE));
  store.close();
});

test('labs, devices and settings written through are read back by the next open', (t) => {
  const dir = tempDir(t);
  const store = LabStore.open(dir);
  const registry = new LabRegistry(store);
  const lab = registry.create();
  lab.deviceFor('key-a');
  lab.deviceFor('key-b');
  registry.create();
  store.setRevealAnswers(true);
  store.close();

  const again = LabStore.open(dir);
  t.after(() => again.close());
  assert.equal(again.revealAnswers, true);
  const restored = new LabRegistry(again);
  const labs = [...restored.all()];
  assert.deepEqual(
    labs.map((l) => l.number),
    [1, 2],
  );
  const same = restored.get(lab.code)!;
  assert.equal(same.createdAt, lab.createdAt);
  assert.equal(same.deviceFor('key-b')!.id, 2);
  assert.equal(same.deviceFor('key-c')!.id, 3);
  assert.equal(restored.create().number, 3);
});

test('a database from a newer Socket Lab is refused, not overwritten', (t) => {
  const dir = tempDir(t);
  LabStore.open(dir).close();
  const db = new Database(join(dir, DB_FILE));
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  assert.throws(() => LabStore.open(dir), (err: unknown) => err instanceof StoreError && /newer/.test(err.message));
});

test('a SQLite file of something else is refused', (t) => {
  const dir = tempDir(t);
  const db = new Database(join(dir, DB_FILE));
  db.exec('CREATE TABLE other (x)');
  db.close();
  assert.throws(() => LabStore.open(dir), (err: unknown) => err instanceof StoreError && /not a Socket Lab database/.test(err.message));
});

test('null is an in-memory store: nothing is kept', () => {
  const store = LabStore.open(null);
  new LabRegistry(store).create();
  assert.equal(store.location, ':memory:');
  store.close();
});

test('--data and DATA_DIR choose the data folder; ./data by default', () => {
  assert.equal(parseConfig([], {}, null).config.dataDir, './data');
  assert.equal(parseConfig([], { DATA_DIR: '/srv/lab' }, null).config.dataDir, '/srv/lab');
  assert.equal(parseConfig(['--data', 'x'], { DATA_DIR: '/srv/lab' }, null).config.dataDir, 'x');
  assert.equal(parseConfig(['--data=y'], {}, null).config.dataDir, 'y');
  assert.match(OPTIONS_HELP, /--data DIR/);
});
