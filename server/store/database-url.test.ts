import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ConfigError, OPTIONS_HELP, parseConfig } from '../config.ts';
import { parseDatabaseUrl, redactedDatabaseUrl } from './database-url.ts';

const SECRET = 'hunter2-very-secret';

test('without --database the store is SQLite in the data folder', () => {
  assert.equal(parseConfig([], {}, null).config.database, null);
});

test('--database and SOCKET_LAB_DATABASE take postgres:// and postgresql:// URLs, the command line first', () => {
  const fromOption = parseConfig(['--database', 'postgres://lab@db.school:5433/socketlab'], {}, null).config.database;
  assert.equal(fromOption?.url, 'postgres://lab@db.school:5433/socketlab');
  const fromEnv = parseConfig([], { SOCKET_LAB_DATABASE: 'postgresql://lab@127.0.0.1/socketlab' }, null).config.database;
  assert.equal(fromEnv?.url, 'postgresql://lab@127.0.0.1/socketlab');
  const both = parseConfig(['--database=postgres://a@h/one'], { SOCKET_LAB_DATABASE: 'postgres://b@h/two' }, null).config.database;
  assert.equal(both?.url, 'postgres://a@h/one');
  // A unix socket folder as libpq writes it: no host in the URL.
  assert.equal(parseDatabaseUrl('postgres:///socketlab?host=/run/postgresql', '--database').url, 'postgres:///socketlab?host=/run/postgresql');
});

test('other databases are refused naming the scheme, and the message says what to give', () => {
  for (const [url, scheme] of [
    ['mysql://root@localhost/lab', 'mysql:'],
    ['sqlite:///tmp/lab.db', 'sqlite:'],
    ['http://db.school/lab', 'http:'],
  ]) {
    assert.throws(
      () => parseConfig(['--database', url!], {}, null),
      (err: unknown) => err instanceof ConfigError && err.message.includes(`'${scheme}'`) && /postgres:\/\//.test(err.message) && err.message.startsWith('--database'),
    );
  }
  assert.throws(() => parseConfig([], { SOCKET_LAB_DATABASE: 'localhost:5432' }, null), (err: unknown) => err instanceof ConfigError && /SOCKET_LAB_DATABASE/.test(err.message));
  assert.throws(() => parseConfig(['--database', 'postgres://lab@db.school'], {}, null), /names no database/);
});

test('the password is never in a message: refusals, the URL shown, the help', () => {
  const refused = [
    `mysql://root:${SECRET}@db/lab`,
    `postgres://lab:${SECRET}@db.school`,
    `not a url ${SECRET}`,
    `postgres://lab:${SECRET}@[broken/lab`,
  ];
  for (const url of refused) {
    let message = '';
    try {
      parseConfig(['--database', url], {}, null);
    } catch (err) {
      message = (err as Error).message;
    }
    assert.ok(message !== '', `refused: ${url}`);
    assert.ok(!message.includes(SECRET), `the password is not in: ${message}`);
  }
  const given = parseConfig(['--database', `postgres://lab:${SECRET}@db.school:5432/socketlab?password=${SECRET}&sslmode=require`], {}, null).config.database!;
  assert.ok(given.url.includes(SECRET), 'the client gets the password');
  assert.equal(given.shown, 'postgres://lab:***@db.school:5432/socketlab?password=***&sslmode=require');
  assert.ok(!JSON.stringify({ ...given, url: undefined }).includes(SECRET));
  assert.equal(redactedDatabaseUrl(new URL('postgres://lab@db/x')), 'postgres://lab@db/x');
  assert.match(OPTIONS_HELP, /--database URL/);
});
