import { test } from 'vitest';
import assert from 'node:assert/strict';
import { MemoryStorage } from '../files/memory-storage.ts';
import { forgetTeacherToken, takeTeacherToken, TEACHER_TOKEN_KEY } from './teacher-token.ts';

test('?token= is kept in the tab and taken out of the address', () => {
  const storage = new MemoryStorage();
  const urls: string[] = [];
  const token = takeTeacherToken({ pathname: '/teacher', search: '?token=abc_DEF-123&x=1', hash: '#labs' }, storage, (u) => urls.push(u));
  assert.equal(token, 'abc_DEF-123');
  assert.deepEqual(urls, ['/teacher?x=1#labs']);
  assert.equal(storage.getItem(TEACHER_TOKEN_KEY), 'abc_DEF-123');
  // A reload, with the token gone from the address.
  assert.equal(takeTeacherToken({ pathname: '/teacher', search: '', hash: '' }, storage, () => assert.fail('no change')), 'abc_DEF-123');
  forgetTeacherToken(storage);
  assert.equal(takeTeacherToken({ pathname: '/teacher', search: '', hash: '' }, storage, () => {}), null);
});

test('a malformed token is removed from the address but not used; no storage still works', () => {
  const urls: string[] = [];
  assert.equal(takeTeacherToken({ pathname: '/teacher', search: '?token=<x>', hash: '' }, null, (u) => urls.push(u)), null);
  assert.deepEqual(urls, ['/teacher']);
  assert.equal(takeTeacherToken({ pathname: '/teacher', search: '?token=good-token', hash: '' }, null, () => {}), 'good-token');
});
