// The Web Storage API kept in memory: what DeviceFiles uses where the browser's localStorage
// is blocked (the files then last as long as the page), and what Node tests give it. It is
// the Storage interface itself, with its quota error, not a stand-in for something else.

/** Characters a MemoryStorage holds at most, keys and values counted, as localStorage's 5M. */
export const MEMORY_STORAGE_QUOTA_CHARS = 5_000_000;

export class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  private used = 0;

  constructor(private readonly quotaChars = MEMORY_STORAGE_QUOTA_CHARS) {}

  // Storage has a string index signature; these are its named members.
  [name: string]: unknown;

  get length(): number {
    return this.items.size;
  }

  key(index: number): string | null {
    if (!Number.isInteger(index) || index < 0) return null;
    let i = 0;
    for (const key of this.items.keys()) if (i++ === index) return key;
    return null;
  }

  getItem(key: string): string | null {
    return this.items.get(String(key)) ?? null;
  }

  setItem(key: string, value: string): void {
    const k = String(key);
    const v = String(value);
    const old = this.items.get(k);
    const next = this.used - (old === undefined ? 0 : k.length + old.length) + k.length + v.length;
    if (next > this.quotaChars) {
      throw new DOMException(`Setting the value of '${k}' exceeded the quota.`, 'QuotaExceededError');
    }
    this.items.set(k, v);
    this.used = next;
  }

  removeItem(key: string): void {
    const k = String(key);
    const old = this.items.get(k);
    if (old === undefined) return;
    this.items.delete(k);
    this.used -= k.length + old.length;
  }

  clear(): void {
    this.items.clear();
    this.used = 0;
  }
}
