import { test } from 'vitest';
import assert from 'node:assert/strict';
import { openStorage, SafeStorage, type StorageLike } from './safe-storage.ts';

/** Storage kept in a Map, holding at most quotaChars characters of values (as a full localStorage). */
function mapStorage(quotaChars = Infinity): StorageLike & { items: Map<string, string> } {
  const items = new Map<string, string>();
  const used = () => [...items.values()].reduce((sum, v) => sum + v.length, 0);
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      if (used() - (items.get(key)?.length ?? 0) + value.length > quotaChars) throw new Error('QuotaExceededError');
      items.set(key, value);
    },
    removeItem: (key) => void items.delete(key),
  };
}

/** What a blocked storage does: every call throws SecurityError. */
const blocked: StorageLike = {
  getItem: () => {
    throw new Error('SecurityError');
  },
  setItem: () => {
    throw new Error('SecurityError');
  },
  removeItem: () => {
    throw new Error('SecurityError');
  },
};

test('a working storage reads, writes and removes as itself', () => {
  const storage = mapStorage();
  const safe = new SafeStorage(storage);
  assert.equal(safe.get('k'), null);
  assert.equal(safe.set('k', 'v'), true);
  assert.equal(storage.items.get('k'), 'v');
  assert.equal(safe.get('k'), 'v');
  assert.equal(safe.remove('k'), true);
  assert.equal(safe.get('k'), null);
});

test('a blocked storage, or none, reads nothing and keeps nothing, without throwing', () => {
  for (const storage of [blocked, null, undefined]) {
    const safe = new SafeStorage(storage);
    assert.equal(safe.get('k'), null);
    assert.equal(safe.set('k', 'v'), false);
    assert.equal(safe.remove('k'), false);
  }
});

test('a full storage refuses the write and keeps what it had', () => {
  const storage = mapStorage(4);
  const safe = new SafeStorage(storage);
  assert.equal(safe.set('a', 'abc'), true);
  assert.equal(safe.set('b', 'too long'), false);
  assert.equal(safe.get('b'), null);
  assert.equal(safe.get('a'), 'abc');
});

test('openStorage gives the storage only where it can be reached and read', () => {
  const storage = mapStorage();
  assert.equal(openStorage(() => storage), storage);
  assert.equal(openStorage(() => blocked), null, 'reading throws');
  assert.equal(
    openStorage((): StorageLike => {
      throw new Error('SecurityError: access is denied for this document');
    }),
    null,
    'reaching for it throws',
  );
  assert.equal(openStorage(() => undefined), null);
});
