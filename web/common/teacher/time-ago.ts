// "12 s ago": how long since a device was last seen, short enough for a table cell; and
// "21:40": when an unused lab will be removed.

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export function timeAgo(elapsedMs: number): string {
  if (!Number.isFinite(elapsedMs) || elapsedMs < 2 * SECOND_MS) return 'just now';
  if (elapsedMs < MINUTE_MS) return `${Math.floor(elapsedMs / SECOND_MS)} s ago`;
  if (elapsedMs < HOUR_MS) return `${Math.floor(elapsedMs / MINUTE_MS)} min ago`;
  if (elapsedMs < DAY_MS) return `${Math.floor(elapsedMs / HOUR_MS)} h ago`;
  const days = Math.floor(elapsedMs / DAY_MS);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "21:40" on the day of `nowMs`, "Tue 09:40" on another (local time), for when something happens. */
export function clockTime(atMs: number, nowMs: number): string {
  const at = new Date(atMs);
  const now = new Date(nowMs);
  const hhmm = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
  return at.toDateString() === now.toDateString() ? hhmm : `${WEEKDAYS[at.getDay()]} ${hhmm}`;
}
