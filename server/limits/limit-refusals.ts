// What a program and its page are told when a lab limit (server/limits.ts) stops something:
// the error Linux gives when it runs out of that resource, and a plain sentence for the page
// naming the limit, its value and the option that changes it.

import type { PyErrorInfo } from '../../shared/bridge-protocol.ts';
import { errnoError, type ErrnoName } from '../../shared/socket-errors.ts';
import { LIMITS, type Limits } from '../limits.ts';

/** Limits that refuse something outright (buffered-bytes only makes the sender wait). */
export type RefusingLimit = Exclude<keyof Limits, 'bufferedBytesPerSocket'>;

/** A call a lab limit refused: the exception the program raises and the page's sentence. */
export interface LimitRefusal {
  err: PyErrorInfo;
  limit: string;
}

const SENTENCES: Record<RefusingLimit, (n: number) => string> = {
  socketsPerConsole: (n) => `this console has ${n} sockets open, the most the lab allows`,
  socketsPerDevice: (n) => `this device has ${n} sockets open, the most the lab allows`,
  socketsPerLab: (n) => `this lab has ${n} sockets open, the most the server allows`,
  listenersPerDevice: (n) => `this device has ${n} listening sockets, the most the lab allows`,
  connectionsPerSecond: (n) => `this device started ${n} connections in the last second, the most the lab allows`,
  messagesPerSecond: (n) => `this console sent ${n} messages in the last second, the most the lab allows`,
  badMessages: (n) => `this console sent more than ${n} messages the server could not accept, so it is disconnected`,
  consolesPerDevice: (n) => `this device has ${n} consoles open, the most the lab allows; close one first`,
};

/**
 * The errno of each limit on sockets, as Linux gives it:
 * - a console is a process group sharing one RLIMIT_NOFILE: EMFILE ('Too many open files');
 * - a device or the lab running out is the system-wide file table: ENFILE;
 * - listen() has no errno of its own for "no more listeners"; ENOBUFS ('No buffer space
 *   available') is what Linux gives when it cannot allocate a socket's kernel memory, the
 *   nearest real cause of a machine refusing one more listening socket, and unlike
 *   EADDRINUSE or EINVAL it does not send a student looking for a mistake in their code;
 * - connect() when the local ports run out (too many connections started too quickly, each
 *   leaving a port in TIME_WAIT): EADDRNOTAVAIL ('Cannot assign requested address').
 */
const ERRNOS: Partial<Record<RefusingLimit, ErrnoName>> = {
  socketsPerConsole: 'EMFILE',
  socketsPerDevice: 'ENFILE',
  socketsPerLab: 'ENFILE',
  listenersPerDevice: 'ENOBUFS',
  connectionsPerSecond: 'EADDRNOTAVAIL',
};

/** The option's name on the command line (sockets-per-console for socketsPerConsole). */
function optionName(key: keyof Limits): string {
  return LIMITS.find((l) => l.key === key)!.name;
}

/** The sentence for the page, e.g. "this console has 64 sockets open, the most the lab allows (--limit sockets-per-console)". */
export function limitNotice(key: RefusingLimit, value: number): string {
  return `${SENTENCES[key](value)} (--limit ${optionName(key)})`;
}

/** The refusal of a socket call by one of the socket limits. */
export function limitRefusal(key: keyof typeof ERRNOS & RefusingLimit, limits: Limits): LimitRefusal {
  return { err: errnoError(ERRNOS[key]!), limit: limitNotice(key, limits[key]) };
}
