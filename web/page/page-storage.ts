// Where the lab page keeps what it remembers (the device's files, the panes' state, the
// theme): the browser's localStorage, shared by every tab of this browser, or, where the
// browser blocks it, storage that lasts as long as the page (everything still works, for
// this load).

import { openStorage } from '../common/safe-storage.ts';
import { MemoryStorage } from '../files/memory-storage.ts';

/** localStorage where the page may use it; otherwise storage that lasts as long as the page. */
export function pageStorage(): Storage {
  return openStorage(() => window.localStorage) ?? new MemoryStorage();
}
