import { test } from 'vitest';
import assert from 'node:assert/strict';
import type { StorageLike } from '../common/safe-storage.ts';
import { DEVICE_KEY_PATTERN } from '../../shared/device-key-pattern.ts';
import { deviceKeyFor, deviceStorageKey, newDeviceKey } from './device-key.ts';

function memoryStorage(): StorageLike & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
}

let counter = 0;
const fill = (bytes: Uint8Array) => bytes.fill(++counter);

test('a new key is 32 hex digits the server accepts', () => {
  const key = newDeviceKey((b) => b.set([0, 1, 2, 255, 16]));
  assert.match(key, /^000102ff10(00){11}$/);
  assert.match(key, DEVICE_KEY_PATTERN);
});

test('the key is stored per lab and reused: every tab is the same device', () => {
  const storage = memoryStorage();
  const first = deviceKeyFor('K7QX2M', storage, fill);
  assert.equal(storage.items.get('socketlab.device.K7QX2M'), first);
  assert.equal(deviceKeyFor('K7QX2M', storage, fill), first);
  assert.notEqual(deviceKeyFor('OTHER1', storage, fill), first);
  assert.equal(deviceStorageKey('AB'), 'socketlab.device.AB');
});

test('a damaged stored key is replaced', () => {
  const storage = memoryStorage();
  storage.items.set('socketlab.device.L', 'no good!');
  const key = deviceKeyFor('L', storage, fill);
  assert.match(key, DEVICE_KEY_PATTERN);
  assert.equal(storage.items.get('socketlab.device.L'), key);
});

test('without working storage there is still a key', () => {
  const broken: StorageLike = {
    getItem: () => {
      throw new Error('SecurityError');
    },
    setItem: () => {
      throw new Error('QuotaExceededError');
    },
    removeItem: () => {
      throw new Error('SecurityError');
    },
  };
  assert.match(deviceKeyFor('L', broken, fill), DEVICE_KEY_PATTERN);
  assert.match(deviceKeyFor('L', null, fill), DEVICE_KEY_PATTERN);
});
