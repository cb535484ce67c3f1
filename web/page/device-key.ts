// Which device this browser is in a lab: a random key kept in localStorage, so every tab of
// one browser profile is the same device (same lab address, same ports) and another browser
// or a private window is another device, as the design asks. crypto.getRandomValues, not
// randomUUID: the page is served over plain http from the teacher's laptop, which is not a
// secure context, and randomUUID exists only in secure contexts.

import { SafeStorage, type StorageLike } from '../common/safe-storage.ts';
import { DEVICE_KEY_PATTERN } from '../../shared/device-key-pattern.ts';

/** 128 random bits, written as 32 hex digits. */
const DEVICE_KEY_BYTES = 16;

export function deviceStorageKey(lab: string): string {
  return `socketlab.device.${lab}`;
}

export function newDeviceKey(fillRandom: (bytes: Uint8Array) => void): string {
  const bytes = new Uint8Array(DEVICE_KEY_BYTES);
  fillRandom(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * This browser's device key in the lab: the stored one, or a new one that is stored.
 * Without storage (blocked, or full) the key lives as long as the page: a new device each load.
 */
export function deviceKeyFor(lab: string, storage: StorageLike | null, fillRandom: (bytes: Uint8Array) => void): string {
  const name = deviceStorageKey(lab);
  const safe = new SafeStorage(storage);
  const stored = safe.get(name);
  if (stored && DEVICE_KEY_PATTERN.test(stored)) return stored;
  const key = newDeviceKey(fillRandom);
  safe.set(name, key); // not kept: the key still works for this page
  return key;
}
