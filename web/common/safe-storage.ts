// Web Storage that never throws. localStorage and sessionStorage throw where the browser
// blocks them (cookies off, some private modes: even reading the property throws), when full
// (QuotaExceededError), and Safari's old private mode threw on every write. Nothing the page
// remembers this way is essential (a theme, whether a pane was open, a device key that is
// then new each load), so a refused read is "nothing stored" and a refused write is "not
// remembered": the page goes on for this load. DOM-free: it is handed the storage (or a
// function that reaches for it), so Node tests give it plain objects.
// DeviceFiles is the exception on purpose: a file that did not save must say so.

/** The part of the Web Storage API this uses (localStorage, sessionStorage, MemoryStorage). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Any item name: reading it tells whether the storage can be read at all. */
const PROBE_KEY = 'socketlab.storage-probe';

/**
 * The storage `reach` returns (e.g. `() => window.localStorage`), or null where reaching it
 * or reading from it throws: storage the page may use, or none.
 */
export function openStorage<S extends Pick<StorageLike, 'getItem'>>(reach: () => S | null | undefined): S | null {
  try {
    const storage = reach();
    if (storage == null) return null;
    storage.getItem(PROBE_KEY);
    return storage;
  } catch {
    return null;
  }
}

/** A storage (or none) whose reads and writes never throw. */
export class SafeStorage {
  constructor(private readonly storage: StorageLike | null | undefined) {}

  /** The stored value; null when there is none, no storage, or the storage refused. */
  get(key: string): string | null {
    try {
      return this.storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }

  /** Stores the value; false when it was not kept (no storage, blocked, or full). */
  set(key: string, value: string): boolean {
    if (!this.storage) return false;
    try {
      this.storage.setItem(key, value);
      return true;
    } catch {
      return false;
    }
  }

  /** Removes the item; false when the storage refused (or there is none). */
  remove(key: string): boolean {
    if (!this.storage) return false;
    try {
      this.storage.removeItem(key);
      return true;
    } catch {
      return false;
    }
  }
}
