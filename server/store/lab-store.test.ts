import { onTestFinished, test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DB_FILE, LabStore, SCHEMA_VERSION, StoreError } from './lab-store.ts';
import { LabRegistry } from '../lab/lab-registry.ts';
import { parseConfig, OPTIONS_HELP } from '../config.ts';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'socket-lab-store-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a new database gets the current schema version', () => {
  const dir = tempDir();
  const store = LabStore.open(dir);
  assert.equal(store.schemaVersion, SCHEMA_VERSION);
  assert.equal(store.location, join(dir, DB_FILE));
  store.close();
});

test('labs, devices and settings written through are read back by the next open', () => {
  const dir = tempDir();
  const store = LabStore.open(dir);
  const registry = new LabRegistry(store);
  const lab = registry.create();
  lab.deviceFor('key-a');
  lab.deviceFor('key-b');
  registry.create();
  store.setRevealAnswers(true);
  store.close();

  const again = LabStore.open(dir);
  onTestFinished(() => again.close());
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

test('a database from a newer Socket Lab is refused, not overwritten', () => {
  const dir = tempDir();
  LabStore.open(dir).close();
  const db = new Database(join(dir, DB_FILE));
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  assert.throws(() => LabStore.open(dir), (err: unknown) => err instanceof StoreError && /newer/.test(err.message));
});

test('a SQLite file of something else is refused', () => {
  const dir = tempDir();
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

test("devices' last-seen times are written at flush (and at close), and read back", () => {
  const dir = tempDir();
  const store = LabStore.open(dir);
  const registry = new LabRegistry(store, () => 1_000);
  const lab = registry.create();
  const device = lab.deviceFor('key-seen')!;
  assert.equal(device.lastSeen, 1_000);
  device.lastSeen = 5_000;
  assert.equal(new LabRegistry(store).get(lab.code)!.deviceFor('key-seen')!.lastSeen, 1_000, 'not written before a flush');
  store.flushSeen();
  assert.equal(new LabRegistry(store).get(lab.code)!.deviceFor('key-seen')!.lastSeen, 5_000);
  device.lastSeen = 9_000;
  store.close();
  const again = LabStore.open(dir);
  onTestFinished(() => again.close());
  const restored = new LabRegistry(again).get(lab.code)!;
  assert.equal(restored.deviceFor('key-seen')!.lastSeen, 9_000, 'close writes what is pending');
  assert.equal(restored.lastActive, 9_000);
});

test('a lab removed as ended frees its code; its Check results stay, apart from a new lab with that code', () => {
  const store = LabStore.open(null);
  const registry = new LabRegistry(store, () => 1_000);
  const lab = registry.create();
  const device = lab.deviceFor('key-ended')!;
  const scenarios = [{ name: 'first try', passed: true }];
  store.saveCheckResult({ lab: lab.code, deviceId: device.id, question: 10, passed: true, scenarios, at: 2_000 });
  device.lastSeen = 3_000;
  assert.ok(registry.removeEnded(lab.code, 50_000));
  assert.equal(registry.get(lab.code), undefined);
  assert.equal(new LabRegistry(store).get(lab.code), undefined, 'gone from the database');
  assert.deepEqual(store.checkResults(), [
    { lab: lab.code, labNumber: lab.number, labEnded: true, deviceId: device.id, question: 10, passed: true, scenarios, at: 2_000 },
  ]);
  // The code is free: a new lab may take it, and its device 1 has results of its own.
  store.insertLab(lab.code, 7, 60_000);
  store.insertDevice(lab.code, 1, 'key-new', 60_000);
  store.saveCheckResult({ lab: lab.code, deviceId: 1, question: 10, passed: false, scenarios: [{ name: 'first try', passed: false }], at: 61_000 });
  store.flushSeen();
  assert.equal(new LabRegistry(store).get(lab.code)!.deviceFor('key-new')!.lastSeen, 60_000, "the old lab's unsaved sighting is not written over the new lab's device");
  assert.deepEqual(
    store.checkResults().map((r) => [r.lab, r.labNumber, r.labEnded, r.passed]),
    [
      [lab.code, 7, false, false],
      [lab.code, lab.number, true, true],
    ],
  );
  // The teacher's Close lab still takes the live results along, never the ended ones.
  store.deleteLab(lab.code);
  assert.deepEqual(store.checkResults().map((r) => r.labEnded), [true]);
  store.close();
});

test('a database of schema version 2 is upgraded: its devices count as seen at the upgrade, its results kept', () => {
  const dir = tempDir();
  // Version 2's schema as it was released (migrations are never edited, so this stays true).
  const db = new Database(join(dir, DB_FILE));
  db.exec(`CREATE TABLE labs (code TEXT PRIMARY KEY, number INTEGER NOT NULL UNIQUE, created_at INTEGER NOT NULL);
    CREATE TABLE devices (lab_code TEXT NOT NULL REFERENCES labs(code), id INTEGER NOT NULL, key TEXT NOT NULL, PRIMARY KEY (lab_code, id), UNIQUE (lab_code, key));
    CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE check_results (lab_code TEXT NOT NULL, device_id INTEGER NOT NULL, question INTEGER NOT NULL, passed INTEGER NOT NULL,
      scenarios TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (lab_code, device_id, question),
      FOREIGN KEY (lab_code, device_id) REFERENCES devices(lab_code, id));
    INSERT INTO labs VALUES ('OLDLAB', 1, 1000);
    INSERT INTO devices VALUES ('OLDLAB', 1, 'key-old');
    INSERT INTO check_results VALUES ('OLDLAB', 1, 6, 1, '[{"name":"server","passed":true}]', 2000);`);
  db.pragma('user_version = 2');
  db.close();
  const before = Date.now();
  const store = LabStore.open(dir);
  onTestFinished(() => store.close());
  assert.equal(store.schemaVersion, SCHEMA_VERSION);
  const lab = new LabRegistry(store).get('OLDLAB')!;
  const seen = lab.deviceFor('key-old')!.lastSeen;
  assert.ok(seen >= Math.floor(before / 1000) * 1000 && seen <= Date.now(), `seen at ${seen}`);
  assert.deepEqual(store.checkResults().map((r) => [r.lab, r.labNumber, r.labEnded, r.question]), [['OLDLAB', 1, false, 6]]);
});

test('two stores on one database (two lab workers) number their labs one after the other, never the same', () => {
  const dir = mkdtempSync(join(tmpdir(), 'socket-lab-shared-store-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const a = LabStore.open(dir);
  const b = LabStore.open(dir);
  onTestFinished(() => (a.close(), b.close()));
  const workerA = new LabRegistry(a, Date.now, (code) => code < 'M');
  const workerB = new LabRegistry(b, Date.now, (code) => code >= 'M');
  const numbers = [];
  for (let i = 0; i < 5; i++) {
    const la = workerA.create();
    const lb = workerB.create();
    assert.ok(la.code < 'M' && lb.code >= 'M', 'each makes only codes of its own');
    numbers.push(la.number, lb.number);
  }
  assert.deepEqual(numbers, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal([...new LabRegistry(a, Date.now, (code) => code < 'M').all()].length, 5, 'a worker loads only its own labs');
});
