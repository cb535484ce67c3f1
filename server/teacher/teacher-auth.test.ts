import { test } from 'vitest';
import assert from 'node:assert/strict';
import { bearerToken, tokenMatches } from './teacher-auth.ts';

test('the Bearer token of an Authorization header', () => {
  assert.equal(bearerToken('Bearer abc-123_XYZ'), 'abc-123_XYZ');
  assert.equal(bearerToken('bearer abc'), 'abc');
  assert.equal(bearerToken(['Bearer first', 'Bearer second']), 'first');
  assert.equal(bearerToken('Basic abc'), null);
  assert.equal(bearerToken('Bearer'), null);
  assert.equal(bearerToken('Bearer '), null);
  assert.equal(bearerToken('Bearer a b'), null);
  assert.equal(bearerToken(undefined), null);
});

test('only the exact token matches', () => {
  assert.ok(tokenMatches('secret-token', 'secret-token'));
  assert.ok(!tokenMatches('secret-tokeN', 'secret-token'));
  assert.ok(!tokenMatches('secret', 'secret-token'));
  assert.ok(!tokenMatches('', 'secret-token'));
  assert.ok(!tokenMatches(null, 'secret-token'));
  assert.ok(!tokenMatches(undefined, 'secret-token'));
  assert.ok(!tokenMatches('', ''), 'an empty token never opens anything');
});
