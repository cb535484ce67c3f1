// The store's contract (server/store/async-lab-store.ts), the same cases on PostgreSQL (a
// throwaway cluster: tests/support/postgres.ts) and on SQLite's LabStore behind the same
// interface; then what only PostgreSQL does: several instances on one database.

import { afterAll, beforeAll, describe, onTestFinished, test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startPostgres, type TestPostgres } from './support/postgres.ts';
import { freePort } from './support/free-port.ts';
import type { AsyncLabStore } from '../server/store/async-lab-store.ts';
import { PostgresLabStore } from '../server/store/postgres-store.ts';
import { MIGRATIONS as PG_MIGRATIONS, PG_SCHEMA_VERSION } from '../server/store/postgres-schema.ts';
import { SqliteAsyncStore } from '../server/store/sqlite-async-store.ts';
import { DEFAULT_CLASS_ID, LabStore, SCHEMA_VERSION, StoreError } from '../server/store/lab-store.ts';

let postgres: TestPostgres;

beforeAll(async () => {
  postgres = await startPostgres();
});

afterAll(async () => {
  await postgres?.stop();
});

/** A fresh store, and how to open its database again (as a restart, or a second instance). */
interface Opened {
  store: AsyncLabStore;
  openAgain(): Promise<AsyncLabStore>;
}

const KINDS: { name: string; schemaVersion: number; open(): Promise<Opened> }[] = [
  {
    name: 'PostgreSQL',
    schemaVersion: PG_SCHEMA_VERSION,
    async open() {
      const url = await postgres.newDatabase();
      const openAgain = async () => {
        const store = await PostgresLabStore.open(url);
        onTestFinished(() => store.close());
        return store;
      };
      return { store: await openAgain(), openAgain };
    },
  },
  {
    name: 'SQLite',
    schemaVersion: SCHEMA_VERSION,
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'socket-lab-contract-'));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      const openAgain = async () => {
        const store = new SqliteAsyncStore(LabStore.open(dir));
        onTestFinished(() => store.close());
        return store;
      };
      return { store: await openAgain(), openAgain };
    },
  },
];

const T0 = Date.UTC(2026, 8, 1, 8, 0);
const MINUTE = 60_000;

describe.each(KINDS)('$name store', (kind) => {
  test('a new database is at the current schema version, and opens again without change', async () => {
    const { store, openAgain } = await kind.open();
    assert.equal(store.schemaVersion, kind.schemaVersion);
    await store.close();
    const again = await openAgain();
    assert.equal(again.schemaVersion, kind.schemaVersion);
    assert.deepEqual(await again.loadLabs(), []);
  });

  test('labs get numbers counting up; a taken code is refused; a lab is found by its code in any case', async () => {
    const { store } = await kind.open();
    const a = await store.createLab('AAAAAA', T0);
    const b = await store.createLab('BBBBBB', T0 + 1);
    assert.deepEqual(a, { code: 'AAAAAA', number: 1, createdAt: T0 });
    assert.equal(b?.number, 2);
    assert.equal(await store.createLab('AAAAAA', T0 + 2), null);
    // Made without a class: the default class's.
    assert.deepEqual(await store.findLab('bbbbbb'), { code: 'BBBBBB', number: 2, createdAt: T0 + 1, classId: DEFAULT_CLASS_ID, devices: [] });
    assert.equal(await store.findLab('CCCCCC'), null);
    const c = await store.createLab('CCCCCC', T0 + 3);
    assert.ok(c!.number > 2, 'a refused code never makes a number come twice');
  });

  test('devices and their last sightings are kept; a sighting never moves back', async () => {
    const { store, openAgain } = await kind.open();
    await store.createLab('DEVICE', T0);
    await store.insertDevice('DEVICE', 1, 'key-a', T0);
    await store.insertDevice('DEVICE', 2, 'key-b', T0 + MINUTE);
    await assert.rejects(store.insertDevice('DEVICE', 3, 'key-a', T0), 'a key is one device of a lab');
    store.noteDeviceSeen('DEVICE', 1, T0 + 10 * MINUTE);
    await store.flushSeen();
    await store.close();
    const again = await openAgain();
    assert.deepEqual((await again.findLab('DEVICE'))!.devices, [
      { id: 1, key: 'key-a', lastSeen: T0 + 10 * MINUTE },
      { id: 2, key: 'key-b', lastSeen: T0 + MINUTE },
    ]);
    assert.deepEqual(
      (await again.loadLabs()).map((l) => [l.code, l.devices.length]),
      [['DEVICE', 2]],
    );
  });

  test('Check results: the last per device and question; a closed lab takes them along; an ended one leaves them to the teacher', async () => {
    const { store } = await kind.open();
    for (const code of ['CLOSED', 'ENDED1', 'LIVE11']) {
      await store.createLab(code, T0);
      await store.insertDevice(code, 1, `k-${code}`, T0);
    }
    const scenarios = [{ name: 'a win on the first try', passed: true }];
    await store.saveCheckResult({ lab: 'LIVE11', deviceId: 1, question: 10, passed: false, scenarios: [], at: T0 + 1 });
    await store.saveCheckResult({ lab: 'LIVE11', deviceId: 1, question: 10, passed: true, scenarios, at: T0 + 2 });
    await store.saveCheckResult({ lab: 'CLOSED', deviceId: 1, question: 6, passed: true, scenarios, at: T0 + 3 });
    await store.saveCheckResult({ lab: 'ENDED1', deviceId: 1, question: 8, passed: false, scenarios, at: T0 + 4 });
    await store.deleteLab('CLOSED');
    await store.removeEndedLab('ENDED1', T0 + 100);
    assert.equal(await store.findLab('CLOSED'), null);
    assert.equal(await store.findLab('ENDED1'), null);
    assert.deepEqual(await store.checkResults(), [
      { lab: 'ENDED1', labNumber: 2, labEnded: true, deviceId: 1, question: 8, passed: false, scenarios, at: T0 + 4 },
      { lab: 'LIVE11', labNumber: 3, labEnded: false, deviceId: 1, question: 10, passed: true, scenarios, at: T0 + 2 },
    ]);
    // The freed code is a new lab's, with a new number; the ended lab's results stay its own.
    const reused = await store.createLab('ENDED1', T0 + 200);
    assert.ok(reused && reused.number > 3);
  });

  test('ended labs are found from their last activity: the newest sighting of a device, or when it was made', async () => {
    const { store } = await kind.open();
    await store.createLab('UNUSED', T0);
    await store.createLab('SEENAA', T0);
    await store.insertDevice('SEENAA', 1, 'k', T0);
    store.noteDeviceSeen('SEENAA', 1, T0 + 60 * MINUTE);
    await store.flushSeen();
    await store.createLab('NEWLAB', T0 + 50 * MINUTE);
    assert.deepEqual(await store.removeEndedLabs(T0 + 30 * MINUTE, T0 + 90 * MINUTE), ['UNUSED']);
    assert.deepEqual((await store.removeEndedLabs(T0 + 55 * MINUTE, T0 + 90 * MINUTE)).sort(), ['NEWLAB']);
    assert.deepEqual(
      (await store.loadLabs()).map((l) => l.code),
      ['SEENAA'],
    );
  });

  test('the reveal switch and other settings are kept', async () => {
    const { store, openAgain } = await kind.open();
    assert.equal(store.revealAnswers, false);
    await store.setRevealAnswers(true);
    await store.setSetting('colour', 'blue');
    assert.equal(store.revealAnswers, true);
    await store.close();
    const again = await openAgain();
    assert.equal(again.revealAnswers, true);
    assert.equal(await again.getSetting('colour'), 'blue');
    assert.equal(await again.getSetting('none such'), undefined);
  });

  test('classes: the default class is there from the start; made ones are listed after reopening; a taken name, slug or token is refused', async () => {
    const { store, openAgain } = await kind.open();
    const [defaultClass] = await store.loadClasses();
    assert.deepEqual({ ...defaultClass, createdAt: 0 }, {
      id: DEFAULT_CLASS_ID, name: 'Default class', nameKey: 'default class', slug: '', token: null, revealAnswers: false, createdAt: 0,
    });
    const a = await store.insertClass({ name: 'Year 10 A', nameKey: 'year 10 a', slug: 'year-10-a', token: 'tok-a', createdAt: T0 });
    const b = await store.insertClass({ name: 'Year 11', nameKey: 'year 11', slug: 'year-11', token: 'tok-b', createdAt: T0 + 1 });
    assert.ok(a !== null && b !== null && a !== DEFAULT_CLASS_ID && b > a, `ids ${a}, ${b}`);
    assert.equal(await store.insertClass({ name: 'YEAR 11', nameKey: 'year 11', slug: 'other', token: 'tok-c', createdAt: T0 }), null, 'a taken name');
    assert.equal(await store.insertClass({ name: 'Other', nameKey: 'other', slug: 'year-11', token: 'tok-c', createdAt: T0 }), null, 'a taken slug');
    assert.equal(await store.insertClass({ name: 'Other', nameKey: 'other', slug: 'other', token: 'tok-a', createdAt: T0 }), null, 'a taken token');
    await store.close();
    const again = await openAgain();
    assert.deepEqual((await again.loadClasses()).slice(1), [
      { id: a, name: 'Year 10 A', nameKey: 'year 10 a', slug: 'year-10-a', token: 'tok-a', revealAnswers: false, createdAt: T0 },
      { id: b, name: 'Year 11', nameKey: 'year 11', slug: 'year-11', token: 'tok-b', revealAnswers: false, createdAt: T0 + 1 },
    ]);
  });

  test('labs are made in a class (the default one unless told), and say so when loaded and found', async () => {
    const { store, openAgain } = await kind.open();
    const year10 = (await store.insertClass({ name: 'Year 10', nameKey: 'year 10', slug: 'year-10', token: 't10', createdAt: T0 }))!;
    await store.createLab('INDEFA', T0);
    await store.createLab('IN10AA', T0 + 1, year10);
    await store.close();
    const again = await openAgain();
    assert.deepEqual(
      (await again.loadLabs()).map((l) => [l.code, l.classId]),
      [['INDEFA', DEFAULT_CLASS_ID], ['IN10AA', year10]],
    );
    assert.equal((await again.findLab('in10aa'))!.classId, year10);
  });

  test('Check results are filtered by class, of live labs and of ended ones', async () => {
    const { store } = await kind.open();
    const year10 = (await store.insertClass({ name: 'Year 10', nameKey: 'year 10', slug: 'year-10', token: 't10', createdAt: T0 }))!;
    const year11 = (await store.insertClass({ name: 'Year 11', nameKey: 'year 11', slug: 'year-11', token: 't11', createdAt: T0 }))!;
    const labs: [string, number][] = [['DEFLAB', DEFAULT_CLASS_ID], ['TENLIV', year10], ['TENEND', year10], ['ELEVEN', year11]];
    for (const [code, classId] of labs) {
      await store.createLab(code, T0, classId);
      await store.insertDevice(code, 1, `k-${code}`, T0);
      await store.saveCheckResult({ lab: code, deviceId: 1, question: 4, passed: true, scenarios: [], at: T0 + 1 });
    }
    await store.removeEndedLab('TENEND', T0 + 100);
    const codes = async (classId?: number) => (await store.checkResults(classId)).map((r) => [r.lab, r.labEnded]);
    assert.deepEqual(await codes(year10), [['TENEND', true], ['TENLIV', false]]);
    assert.deepEqual(await codes(year11), [['ELEVEN', false]]);
    assert.deepEqual(await codes(DEFAULT_CLASS_ID), [['DEFLAB', false]]);
    assert.deepEqual(await codes(), [['DEFLAB', false], ['ELEVEN', false], ['TENEND', true], ['TENLIV', false]]);
    // Ended by the sweep too: still the class's.
    assert.deepEqual(await store.removeEndedLabs(T0 + MINUTE, T0 + 200), ['DEFLAB', 'TENLIV', 'ELEVEN']);
    assert.deepEqual(await codes(year10), [['TENEND', true], ['TENLIV', true]]);
    assert.deepEqual(await codes(year11), [['ELEVEN', true]]);
  });

  test('each class has its own reveal switch, kept; revealAnswers is the default class’s', async () => {
    const { store, openAgain } = await kind.open();
    const year10 = (await store.insertClass({ name: 'Year 10', nameKey: 'year 10', slug: 'year-10', token: 't10', createdAt: T0 }))!;
    const year11 = (await store.insertClass({ name: 'Year 11', nameKey: 'year 11', slug: 'year-11', token: 't11', createdAt: T0 }))!;
    await store.setClassRevealAnswers(year10, true);
    assert.equal(store.revealAnswers, false, 'another class’s switch is not the default class’s');
    await store.setRevealAnswers(true);
    assert.equal(store.revealAnswers, true);
    await store.close();
    const again = await openAgain();
    const reveal = (await again.loadClasses()).map((c) => [c.id, c.revealAnswers]);
    assert.deepEqual(reveal, [[DEFAULT_CLASS_ID, true], [year10, true], [year11, false]]);
    assert.equal(again.revealAnswers, true);
    await again.setClassRevealAnswers(DEFAULT_CLASS_ID, false);
    assert.equal(again.revealAnswers, false, 'the default class’s switch set by its id');
  });
});

describe('PostgreSQL: several instances on one database', () => {
  test('a lab made on one instance is found by another, and numbers never collide', async () => {
    const url = await postgres.newDatabase();
    const [a, b] = await Promise.all([PostgresLabStore.open(url), PostgresLabStore.open(url)]);
    onTestFinished(async () => {
      await a.close();
      await b.close();
    });
    await a.createLab('MADEON', T0);
    await a.insertDevice('MADEON', 1, 'key', T0);
    assert.deepEqual((await b.findLab('MADEON'))?.devices.map((d) => d.key), ['key']);
    const made = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).createLab(`N${String(i).padStart(5, '0')}`, T0)));
    const numbers = made.map((m) => m!.number);
    assert.equal(new Set(numbers).size, numbers.length);
    assert.ok(!numbers.includes(1));
  });

  test('the instance serving a lab is recorded; a claim answers who served it before', async () => {
    const url = await postgres.newDatabase();
    const store = await PostgresLabStore.open(url);
    onTestFinished(() => store.close());
    await store.createLab('OWNED1', T0);
    assert.equal(await store.labOwner('OWNED1'), null);
    assert.equal(await store.claimLab('OWNED1', 'lab1'), null);
    assert.equal(await store.claimLab('owned1', 'lab1'), null, 'a claim again by the same instance');
    assert.equal(await store.labOwner('OWNED1'), 'lab1');
    assert.equal(await store.claimLab('OWNED1', 'lab2'), 'lab1');
    assert.equal(await store.labOwner('OWNED1'), 'lab2');
    assert.equal(await store.claimLab('NOLAB1', 'lab2'), null);
  });

  test('two instances flushing the same device keep the later sighting, in either order', async () => {
    const url = await postgres.newDatabase();
    const [a, b] = await Promise.all([PostgresLabStore.open(url), PostgresLabStore.open(url)]);
    onTestFinished(async () => {
      await a.close();
      await b.close();
    });
    await a.createLab('MOVED1', T0);
    await a.insertDevice('MOVED1', 1, 'k', T0);
    b.noteDeviceSeen('MOVED1', 1, T0 + 20 * MINUTE);
    await b.flushSeen();
    a.noteDeviceSeen('MOVED1', 1, T0 + 10 * MINUTE);
    await a.flushSeen();
    assert.equal((await a.findLab('MOVED1'))!.devices[0]!.lastSeen, T0 + 20 * MINUTE);
  });

  test('two sweeps at once end each lab once', async () => {
    const url = await postgres.newDatabase();
    const [a, b] = await Promise.all([PostgresLabStore.open(url), PostgresLabStore.open(url)]);
    onTestFinished(async () => {
      await a.close();
      await b.close();
    });
    for (let i = 0; i < 10; i++) await a.createLab(`OLD${String(i).padStart(3, '0')}`, T0);
    const [fromA, fromB] = await Promise.all([a.removeEndedLabs(T0 + MINUTE, T0 + MINUTE), b.removeEndedLabs(T0 + MINUTE, T0 + MINUTE)]);
    assert.equal(fromA.length + fromB.length, 10);
    assert.equal(new Set([...fromA, ...fromB]).size, 10);
  });

  test('a class made on one instance is seen by another, which cannot make one with its slug; a reveal switched on one is read by another on refresh', async () => {
    const url = await postgres.newDatabase();
    const [a, b] = await Promise.all([PostgresLabStore.open(url), PostgresLabStore.open(url)]);
    onTestFinished(async () => {
      await a.close();
      await b.close();
    });
    const made = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).insertClass({ name: `C${i}`, nameKey: `c${i}`, slug: `c-${i}`, token: `t${i}`, createdAt: T0 })),
    );
    assert.equal(new Set(made).size, 6, 'ids never collide');
    assert.equal(await b.insertClass({ name: 'Again', nameKey: 'again', slug: 'c-1', token: 'new', createdAt: T0 }), null);
    assert.deepEqual((await b.loadClasses()).map((c) => c.slug).sort(), ['', 'c-0', 'c-1', 'c-2', 'c-3', 'c-4', 'c-5']);
    await a.setRevealAnswers(true);
    assert.equal(b.revealAnswers, false, 'as last read');
    await b.refreshSettings();
    assert.equal(b.revealAnswers, true);
  });

  test('a version-1 database is migrated: its labs and ended Check results are the default class’s, whose reveal switch is the old setting', async () => {
    const url = await postgres.newDatabase();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    // Version 1 as a Socket Lab of before classes left it.
    await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    await client.query(PG_MIGRATIONS[0]!);
    await client.query('INSERT INTO schema_migrations (version) VALUES (1)');
    await client.query(`INSERT INTO labs (code, number, created_at) VALUES ('OLDLAB', nextval('lab_numbers'), $1)`, [T0]);
    await client.query(`INSERT INTO devices (lab_code, id, key, last_seen) VALUES ('OLDLAB', 1, 'k', $1)`, [T0]);
    await client.query(
      `INSERT INTO ended_check_results (lab_code, lab_number, lab_created_at, lab_ended_at, device_id, question, passed, scenarios, at)
       VALUES ('GONE11', 7, $1, $1, 1, 3, true, '[]', $1)`,
      [T0],
    );
    await client.query(`INSERT INTO settings (name, value) VALUES ('reveal_answers', '1')`);
    await client.end();

    const store = await PostgresLabStore.open(url);
    onTestFinished(() => store.close());
    assert.equal(store.schemaVersion, PG_SCHEMA_VERSION);
    assert.equal(store.revealAnswers, true, 'the old setting is the default class’s switch');
    assert.deepEqual((await store.loadClasses()).map((c) => [c.id, c.slug, c.token, c.revealAnswers]), [[DEFAULT_CLASS_ID, '', null, true]]);
    assert.equal(await store.getSetting('reveal_answers'), undefined, 'moved, not left behind');
    assert.deepEqual(
      (await store.loadLabs()).map((l) => [l.code, l.classId, l.devices.length]),
      [['OLDLAB', DEFAULT_CLASS_ID, 1]],
    );
    assert.deepEqual((await store.checkResults(DEFAULT_CLASS_ID)).map((r) => r.lab), ['GONE11']);
    // The next class made after the default one.
    const made = await store.insertClass({ name: 'New', nameKey: 'new', slug: 'new', token: 'tok', createdAt: T0 });
    assert.equal(made, DEFAULT_CLASS_ID + 1);
  });

  test('a newer schema, or another program’s tables, are refused, not written over', async () => {
    const newer = await postgres.newDatabase();
    await (await PostgresLabStore.open(newer)).close();
    const client = new pg.Client({ connectionString: newer });
    await client.connect();
    await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [PG_SCHEMA_VERSION + 1]);
    await client.end();
    await assert.rejects(PostgresLabStore.open(newer), (err: unknown) => err instanceof StoreError && /newer than this Socket Lab/.test(err.message));

    const foreign = await postgres.newDatabase();
    const other = new pg.Client({ connectionString: foreign });
    await other.connect();
    await other.query('CREATE TABLE invoices (id int)');
    await other.end();
    await assert.rejects(PostgresLabStore.open(foreign), (err: unknown) => err instanceof StoreError && /not a Socket Lab database.*invoices/.test(err.message));
  });

  test('a database that cannot be reached stops start-up with a message that has no password', async () => {
    const secret = 'pa55-word-not-shown';
    // A port just released: nothing listens there.
    const url = `postgres://lab:${secret}@127.0.0.1:${await freePort()}/socketlab`;
    await assert.rejects(PostgresLabStore.open(url), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.match(err.message, /cannot connect to the database postgres:\/\/lab:\*\*\*@127\.0\.0\.1/);
      assert.ok(!err.message.includes(secret), err.message);
      return true;
    });
    // A wrong password on the real cluster: trust auth takes any, so a missing database instead.
    const missing = postgres.url.replace(/\/postgres$/, '/no_such_db').replace('socketlab@', `socketlab:${secret}@`);
    await assert.rejects(PostgresLabStore.open(missing), (err: unknown) => err instanceof StoreError && !err.message.includes(secret) && /no_such_db/.test(err.message));
  });
});
