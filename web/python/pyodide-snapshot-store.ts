// Where the Python worker keeps its memory snapshot of a freshly started Pyodide (see
// pyodide-loader.ts): one record in the page origin's IndexedDB. IndexedDB, not Cache
// Storage, because Cache Storage exists only in secure contexts and a teacher serves the lab
// over plain http. Every failure here (no IndexedDB, quota, a broken database) means "no
// snapshot": Python then starts the long way, as it always could. The snapshot is kept
// sparse (web/common/python/sparse-bytes.ts): its zero pages are not written, read or copied.
// The record read or made is also what the page holds for its next workers
// (held-python-start.ts): reading it from IndexedDB took a third of a worker's load.

import { fromSparse, toSparse } from '../common/python/sparse-bytes.ts';
import type { StoredSnapshot } from '../common/python/worker-messages.ts';

export type { StoredSnapshot };

export const SNAPSHOT_DB_NAME = 'socketlab-python';
export const SNAPSHOT_STORE_NAME = 'snapshots';
/** The single record's id: a newer snapshot replaces the older one. */
export const SNAPSHOT_RECORD_ID = 'pyodide';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openDatabase(): Promise<IDBDatabase> {
  const req = indexedDB.open(SNAPSHOT_DB_NAME, 1);
  req.onupgradeneeded = () => req.result.createObjectStore(SNAPSHOT_STORE_NAME);
  return request(req);
}

async function withStore<T>(mode: IDBTransactionMode, use: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDatabase();
  try {
    const tx = db.transaction(SNAPSHOT_STORE_NAME, mode, { durability: 'relaxed' });
    const result = request(use(tx.objectStore(SNAPSHOT_STORE_NAME)));
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = tx.onerror = () => reject(tx.error ?? new Error('the snapshot transaction was aborted'));
    });
    // Committed now, not when this thread next idles: a program may keep it busy for long.
    tx.commit();
    const [value] = await Promise.all([result, done]);
    return value;
  } finally {
    db.close();
  }
}

/** A record's bytes if it was made under this key and is whole, else null (none, another key, a broken record). */
export function unpackSnapshot(record: Partial<StoredSnapshot> | null | undefined, key: string): Uint8Array | null {
  if (!record || record.key !== key || typeof record.byteLength !== 'number') return null;
  if (!(record.pages instanceof Uint32Array) || !(record.data instanceof Uint8Array)) return null;
  try {
    return fromSparse({ byteLength: record.byteLength, pages: record.pages, data: record.data });
  } catch {
    return null;
  }
}

/** The record to store (and to hold in the page) for a snapshot made under this key. */
export function packSnapshot(key: string, bytes: Uint8Array): StoredSnapshot {
  return { key, ...toSparse(bytes) };
}

/** The stored record as it is (unpackSnapshot checks it), or null when none can be read. */
export async function readStoredSnapshot(): Promise<Partial<StoredSnapshot> | null> {
  if (typeof indexedDB === 'undefined') return null;
  try {
    return ((await withStore('readonly', (store) => store.get(SNAPSHOT_RECORD_ID))) as Partial<StoredSnapshot> | undefined) ?? null;
  } catch {
    return null;
  }
}

/** The stored snapshot made under this key, or null (none, another key, a broken record). */
export async function readSnapshot(key: string): Promise<Uint8Array | null> {
  return unpackSnapshot(await readStoredSnapshot(), key);
}

/** Stores the snapshot (replacing any other); resolves once it is committed, false if it could not be. */
export async function writeSnapshot(key: string, bytes: Uint8Array): Promise<boolean> {
  return writeSnapshotRecord(packSnapshot(key, bytes));
}

/** Stores a packed snapshot (replacing any other); false if it could not be. */
export async function writeSnapshotRecord(record: StoredSnapshot): Promise<boolean> {
  if (typeof indexedDB === 'undefined') return false;
  try {
    await withStore('readwrite', (store) => store.put(record, SNAPSHOT_RECORD_ID));
    return true;
  } catch {
    return false;
  }
}

/** Forgets the stored snapshot (one that failed to start Python). */
export async function dropSnapshot(): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  try {
    await withStore('readwrite', (store) => store.delete(SNAPSHOT_RECORD_ID));
  } catch {
    // Nothing stored, or no database: nothing to forget.
  }
}
