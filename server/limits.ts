// The limits a teacher may set (`--limit NAME=N`), with defaults sized for a class of thirty
// on one laptop. Each is enforced where the thing it counts is made (server/net, server/bridge)
// and gives the program the error a Linux machine gives when it runs out of that resource.

import { MIN_RECEIVE_WINDOW_BYTES } from '../shared/data-frame.ts';

export interface Limits {
  /** Sockets open in one console (its programs together): EMFILE, as RLIMIT_NOFILE gives. */
  socketsPerConsole: number;
  /** Sockets open on one device (all its consoles): ENFILE. */
  socketsPerDevice: number;
  /** Sockets open in one lab (all its devices): ENFILE. */
  socketsPerLab: number;
  /** Listening sockets on one device. */
  listenersPerDevice: number;
  /** Outgoing connections one device may start in any one second: EADDRNOTAVAIL past it. */
  connectionsPerSecond: number;
  /** Bytes a socket may hold unread on the page before the real socket is paused. */
  bufferedBytesPerSocket: number;
  /** Messages (calls and data frames) one console may send in any one second. */
  messagesPerSecond: number;
  /** Bad messages (malformed, unknown, out of order) a console may send before it is disconnected. */
  badMessages: number;
  /** Consoles (WebSockets) one device may have open at once. */
  consolesPerDevice: number;
}

export interface LimitInfo {
  name: string;
  key: keyof Limits;
  default: number;
  min: number;
  what: string;
}

export const LIMITS: readonly LimitInfo[] = [
  { name: 'sockets-per-console', key: 'socketsPerConsole', default: 64, min: 1, what: 'sockets open in one console (then OSError EMFILE)' },
  { name: 'sockets-per-device', key: 'socketsPerDevice', default: 256, min: 1, what: 'sockets open on one device (then OSError ENFILE)' },
  { name: 'sockets-per-lab', key: 'socketsPerLab', default: 1024, min: 1, what: 'sockets open in one lab (then OSError ENFILE)' },
  { name: 'listeners-per-device', key: 'listenersPerDevice', default: 32, min: 1, what: 'listening sockets on one device' },
  { name: 'connections-per-second', key: 'connectionsPerSecond', default: 50, min: 1, what: 'connections one device may start per second (then EADDRNOTAVAIL)' },
  { name: 'buffered-bytes', key: 'bufferedBytesPerSocket', default: 256 * 1024, min: MIN_RECEIVE_WINDOW_BYTES, what: 'unread bytes per socket held for the page before the sender waits' },
  { name: 'messages-per-second', key: 'messagesPerSecond', default: 5000, min: 10, what: 'messages one console may send per second' },
  { name: 'bad-messages', key: 'badMessages', default: 100, min: 1, what: 'bad messages a console may send before it is disconnected' },
  { name: 'consoles-per-device', key: 'consolesPerDevice', default: 32, min: 1, what: 'consoles one device may have open at once' },
];

export function defaultLimits(): Limits {
  const limits = {} as Limits;
  for (const l of LIMITS) limits[l.key] = l.default;
  return limits;
}

/** `NAME=N` as given to --limit; throws a message for a person when it is not one. */
export function parseLimit(text: string): { key: keyof Limits; value: number } {
  const m = /^([a-z-]+)=(\d+)$/.exec(text.trim());
  const known = LIMITS.map((l) => l.name).join(', ');
  if (!m) throw new Error(`--limit: '${text}' is not NAME=NUMBER (names: ${known})`);
  const info = LIMITS.find((l) => l.name === m[1]);
  if (!info) throw new Error(`--limit: no limit called '${m[1]}' (names: ${known})`);
  const value = Number(m[2]);
  if (!Number.isSafeInteger(value) || value < info.min) throw new Error(`--limit: ${info.name} must be at least ${info.min}`);
  return { key: info.key, value };
}

/** The help text's lines for the limits. */
export function limitsHelp(): string {
  return LIMITS.map((l) => `    ${`${l.name}=${l.default}`.padEnd(28)} ${l.what}`).join('\n');
}
