// Where the Python worker finds a memory snapshot of a freshly started Pyodide (see
// pyodide-loader.ts): the one made at build time and served beside the runtime
// (fetchBuildSnapshot), and the one a worker made itself, one record in the page origin's
// IndexedDB. IndexedDB, not Cache
// Storage, because Cache Storage exists only in secure contexts and a teacher serves the lab
// over plain http. Every failure here (no IndexedDB, quota, a broken database) means "no
// snapshot": Python then starts the long way, as it always could. The snapshot is kept
// sparse (sparse-bytes.ts): its zero pages are not written, read or copied.

import { fromSparse, toSparse, type SparseBytes } from './sparse-bytes.ts';
import { PYTHON_HOME } from './worker-messages.ts';

/**
 * What a snapshot depends on besides Pyodide's build (which Pyodide checks itself): the
 * options the loader gives loadPyodide (pyodide-loader.ts). Change SNAPSHOT_FORMAT when they
 * change, here and in scripts/make-pyodide-snapshot.mjs, which makes the build's snapshot
 * with the same options and key (tests/browser/python-snapshot.test.ts fails when they differ).
 */
export const SNAPSHOT_FORMAT = 2;
/**
 * The environment every start gets. LANG is set rather than left to Emscripten, which takes it
 * from navigator.language: a snapshot holds os.environ, so without it the build's snapshot
 * (made in Node: C.UTF-8) and a long start (the browser's language) would differ.
 */
export const SNAPSHOT_ENV: Readonly<Record<string, string>> = { HOME: PYTHON_HOME, LANG: 'C.UTF-8' };
export function snapshotKeyOf(pyodideVersion: string): string {
  return `pyodide ${pyodideVersion}, format ${SNAPSHOT_FORMAT}, HOME ${SNAPSHOT_ENV.HOME}, LANG ${SNAPSHOT_ENV.LANG}`;
}
/** The build's snapshot's name, in the runtime's folder (cached for good: the format is in the name). */
export const BUILD_SNAPSHOT_FILE = `socketlab-snapshot-${SNAPSHOT_FORMAT}.bin`;

export const SNAPSHOT_DB_NAME = 'socketlab-python';
export const SNAPSHOT_STORE_NAME = 'snapshots';
/** The single record's id: a newer snapshot replaces the older one. */
export const SNAPSHOT_RECORD_ID = 'pyodide';

export interface StoredSnapshot extends SparseBytes {
  /** What the snapshot was made from (pyodide-loader.ts's snapshotKey()); another key is stale. */
  key: string;
}

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

/** The stored snapshot made under this key, or null (none, another key, a broken record). */
export async function readSnapshot(key: string): Promise<Uint8Array | null> {
  if (typeof indexedDB === 'undefined') return null;
  try {
    const record = (await withStore('readonly', (store) => store.get(SNAPSHOT_RECORD_ID))) as Partial<StoredSnapshot> | undefined;
    if (!record || record.key !== key || typeof record.byteLength !== 'number') return null;
    if (!(record.pages instanceof Uint32Array) || !(record.data instanceof Uint8Array)) return null;
    return fromSparse({ byteLength: record.byteLength, pages: record.pages, data: record.data });
  } catch {
    return null;
  }
}

/** Stores the snapshot (replacing any other); resolves once it is committed, false if it could not be. */
export async function writeSnapshot(key: string, bytes: Uint8Array): Promise<boolean> {
  if (typeof indexedDB === 'undefined') return false;
  const record: StoredSnapshot = { key, ...toSparse(bytes) };
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

/**
 * The build's snapshot (scripts/make-pyodide-snapshot.mjs: our header, then Pyodide's
 * snapshot), or null when the file is missing, cut short, or made under another key. onBytes
 * gets each chunk's size and, once the header is in, the whole file's size (uncompressed: the
 * server may send it compressed).
 */
export async function fetchBuildSnapshot(
  url: string,
  key: string,
  signal: AbortSignal,
  onBytes: (bytes: number, totalBytes: number | null) => void,
): Promise<Uint8Array | null> {
  try {
    const response = await fetch(url, { signal });
    if (!response.ok || !response.body) return null;
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let received = 0;
    let totalBytes: number | null = null;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      if (totalBytes === null && received >= BUILD_HEADER_FIXED_BYTES) totalBytes = fileBytesOf(concat(chunks, BUILD_HEADER_FIXED_BYTES));
      onBytes(value.byteLength, totalBytes);
    }
    return snapshotOfBuildFile(concat(chunks, received), key);
  } catch {
    return null;
  }
}

/** The header's three 32-bit fields: its own size, the key's, the snapshot's. */
const BUILD_HEADER_FIXED_BYTES = 12;

function fileBytesOf(start: Uint8Array): number {
  const view = new DataView(start.buffer, start.byteOffset, BUILD_HEADER_FIXED_BYTES);
  return view.getUint32(0, true) + view.getUint32(8, true);
}

/** Pyodide's snapshot inside the build's file, if the file is whole and made under this key. */
export function snapshotOfBuildFile(file: Uint8Array, key: string): Uint8Array | null {
  if (file.byteLength < BUILD_HEADER_FIXED_BYTES) return null;
  const view = new DataView(file.buffer, file.byteOffset, BUILD_HEADER_FIXED_BYTES);
  const headerBytes = view.getUint32(0, true);
  const keyBytes = view.getUint32(4, true);
  const snapshotBytes = view.getUint32(8, true);
  if (headerBytes < BUILD_HEADER_FIXED_BYTES + keyBytes || headerBytes + snapshotBytes !== file.byteLength) return null;
  if (new TextDecoder().decode(file.subarray(BUILD_HEADER_FIXED_BYTES, BUILD_HEADER_FIXED_BYTES + keyBytes)) !== key) return null;
  // Pyodide reads the snapshot as 32-bit words: the header keeps it aligned in a fresh buffer.
  return file.subarray(headerBytes);
}

/** The first `length` bytes of the chunks, in one buffer of its own (aligned). */
function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    if (at >= length) break;
    const part = chunk.subarray(0, length - at);
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
