// The device's Python files: what the editor edits and what `python FILE` runs (the worker
// mounts snapshot() so `import tictactoe` finds tictactoe.py). Kept in the browser's
// localStorage, one item per file, so they outlive a reload and every tab of this browser (one
// device) sees the same files; one item per file also means two tabs saving different files
// never overwrite each other's. It uses no page element, only the Storage it is given (the page
// passes localStorage, Node tests a MemoryStorage), which the DOM lib types: so not in web/common.
//
// Items, for lab CODE and device key KEY:
//   socketlab.files.CODE.KEY           the device's marker: present once it has been seeded
//   socketlab.files.CODE.KEY/NAME.py   one file's text

import { SafeStorage } from '../common/safe-storage.ts';

/** Longest file name, `.py` included. */
export const MAX_FILE_NAME_LENGTH = 64;
/** One file's size at most, in UTF-8 bytes. */
export const MAX_FILE_BYTES = 256 * 1024;
/**
 * All of a device's files together at most, in UTF-8 bytes. localStorage holds about five
 * million characters per site, for every lab this browser has joined, so one device keeps
 * well under half of that.
 */
export const MAX_DEVICE_BYTES = 2 * 1024 * 1024;
/** Files on one device at most. */
export const MAX_FILES = 200;

/** `name.py`: letters, digits, `_`, `-` and `.`, not starting with `-` or `.`. */
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\.py$/;

export function isValidFileName(name: string): boolean {
  return typeof name === 'string' && name.length <= MAX_FILE_NAME_LENGTH && FILE_NAME.test(name);
}

/** Throws an Error that says what a file name may be, unless name is one. */
export function checkFileName(name: string): void {
  if (isValidFileName(name)) return;
  const shown = JSON.stringify(String(name).slice(0, MAX_FILE_NAME_LENGTH + 8));
  if (!String(name).endsWith('.py')) throw new Error(`${shown} is not a Python file name: it must end in .py`);
  if (String(name).length > MAX_FILE_NAME_LENGTH) {
    throw new Error(`${shown} is too long: a file name has at most ${MAX_FILE_NAME_LENGTH} characters`);
  }
  throw new Error(
    `${shown} is not a file name this device takes: use letters, digits, _, - and . ` +
      `(not first), ending in .py, like my_server.py`,
  );
}

/** What changed, for onChange listeners. `external`: another tab changed the device's files. */
export type FilesChange =
  | { type: 'write'; name: string }
  | { type: 'remove'; name: string }
  | { type: 'rename'; from: string; to: string }
  | { type: 'seed' }
  | { type: 'external' };

export type FilesListener = (change: FilesChange) => void;

/** The item names for one device of one lab. */
export function deviceFilesKey(lab: string, deviceKey: string): string {
  return `socketlab.files.${lab}.${deviceKey}`;
}

const encoder = new TextEncoder();

function utf8Bytes(text: string): number {
  // Counting without copying would be faster; files are small and this is plain.
  return encoder.encode(text).length;
}

function kib(bytes: number): string {
  return `${Math.ceil(bytes / 1024)} KiB`;
}

function isQuotaError(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    ((err as { name?: unknown }).name === 'QuotaExceededError' ||
      (err as { code?: unknown }).code === 22 ||
      (err as { name?: unknown }).name === 'NS_ERROR_DOM_QUOTA_REACHED')
  );
}

export class DeviceFiles {
  /** The device's marker item; file items are this, `/`, the name. */
  readonly storageKey: string;
  private readonly prefix: string;
  private readonly listeners = new Set<FilesListener>();

  /**
   * The files of one device in one lab. With seed, a device that has never had files gets
   * those (the worksheet's programs) the first time; one whose files were all deleted stays
   * empty.
   */
  constructor(
    private readonly storage: Storage,
    lab: string,
    deviceKey: string,
    seed?: Readonly<Record<string, string>>,
  ) {
    this.storageKey = deviceFilesKey(lab, deviceKey);
    this.prefix = this.storageKey + '/';
    if (seed && this.storage.getItem(this.storageKey) === null) this.seed(seed);
  }

  /** The file names, sorted (code point order, as Python's sorted() would). */
  list(): string[] {
    const names: string[] = [];
    for (let i = 0; i < this.storage.length; i++) {
      const key = this.storage.key(i);
      if (key === null || !key.startsWith(this.prefix)) continue;
      const name = key.slice(this.prefix.length);
      if (isValidFileName(name)) names.push(name);
    }
    return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** The file's text, or null when there is no such file. */
  read(name: string): string | null {
    if (!isValidFileName(name)) return null;
    return this.storage.getItem(this.prefix + name);
  }

  has(name: string): boolean {
    return this.read(name) !== null;
  }

  /** Creates or replaces a file. Throws (and changes nothing) on a bad name, a limit or a full storage. */
  write(name: string, text: string): void {
    checkFileName(name);
    if (typeof text !== 'string') throw new TypeError('a file holds text');
    const old = this.read(name);
    if (old === text) return;
    this.checkRoom(name, text, old === null ? null : name);
    this.store(name, text);
    this.markSeeded();
    this.emit({ type: 'write', name });
  }

  /** Deletes a file; deleting one that is not there does nothing. */
  remove(name: string): void {
    if (this.read(name) === null) return;
    this.storage.removeItem(this.prefix + name);
    this.emit({ type: 'remove', name });
  }

  /** Renames a file. Throws if from is missing, to is not a good name, or to already exists. */
  rename(from: string, to: string): void {
    const text = this.read(from);
    if (text === null) throw new Error(`there is no file ${JSON.stringify(from)}`);
    checkFileName(to);
    if (from === to) return;
    if (this.read(to) !== null) throw new Error(`${to} already exists: delete it first, or pick another name`);
    this.store(to, text);
    this.storage.removeItem(this.prefix + from);
    this.emit({ type: 'rename', from, to });
  }

  /** Every file, name to text: what a program run mounts beside itself. */
  snapshot(): Record<string, string> {
    const files: Record<string, string> = {};
    for (const name of this.list()) {
      const text = this.read(name);
      if (text !== null) files[name] = text;
    }
    return files;
  }

  /** UTF-8 bytes all files take. */
  totalBytes(): number {
    let total = 0;
    for (const name of this.list()) total += utf8Bytes(this.read(name) ?? '');
    return total;
  }

  /** Calls listener after every change; returns the function that removes it. */
  onChange(listener: FilesListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Tells the listeners when storage changed under this device from elsewhere: the page
   * passes each `storage` event's key (null when another tab cleared the storage).
   */
  storageChanged(key: string | null): void {
    if (key === null || key === this.storageKey || key.startsWith(this.prefix)) this.emit({ type: 'external' });
  }

  /** Adds the seed's files that are missing and marks the device seeded. */
  private seed(seed: Readonly<Record<string, string>>): void {
    for (const [name, text] of Object.entries(seed)) {
      if (!isValidFileName(name) || this.read(name) !== null) continue;
      try {
        this.checkRoom(name, text, null);
        this.store(name, text);
      } catch {
        // A starting point that does not fit is left out; the student's own files come first.
      }
    }
    this.markSeeded();
    this.emit({ type: 'seed' });
  }

  private markSeeded(): void {
    if (this.storage.getItem(this.storageKey) !== null) return;
    // Not kept: without the marker the next load seeds again, which only adds missing files.
    new SafeStorage(this.storage).set(this.storageKey, '1');
  }

  /** Throws unless text fits as file name, replacing replacing (null for a new file). */
  private checkRoom(name: string, text: string, replacing: string | null): void {
    const bytes = utf8Bytes(text);
    if (bytes > MAX_FILE_BYTES) {
      throw new Error(`${name} is too large (${kib(bytes)}): a file may hold at most ${kib(MAX_FILE_BYTES)}`);
    }
    const names = this.list();
    if (replacing === null && names.length >= MAX_FILES) {
      throw new Error(`this device already has ${MAX_FILES} files, the most it may have: delete one first`);
    }
    let others = 0;
    for (const other of names) if (other !== replacing) others += utf8Bytes(this.read(other) ?? '');
    if (others + bytes > MAX_DEVICE_BYTES) {
      throw new Error(
        `no room for ${name}: this device's files may hold ${kib(MAX_DEVICE_BYTES)} in all ` +
          `and the others take ${kib(others)}; delete some first`,
      );
    }
  }

  private store(name: string, text: string): void {
    try {
      this.storage.setItem(this.prefix + name, text);
    } catch (err) {
      if (isQuotaError(err)) {
        throw new Error(`the browser's storage for this site is full, so ${name} was not saved: delete some files`);
      }
      throw err;
    }
  }

  private emit(change: FilesChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (err) {
        // One listener's failure must not stop the others (or undo the change that was made).
        console.error('a DeviceFiles listener failed:', err);
      }
    }
  }
}
