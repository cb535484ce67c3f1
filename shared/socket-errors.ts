import type { PyErrorInfo } from './bridge-protocol.ts';

// Linux's errno values and strerror texts, with the Python exception class CPython raises for
// each (PEP 3151). Pyodide's own errno numbers differ; these are the ones a student sees on Linux.
const ERRORS = {
  ESRCH: [3, 'ProcessLookupError', 'No such process'],
  EBADF: [9, 'OSError', 'Bad file descriptor'],
  EAGAIN: [11, 'BlockingIOError', 'Resource temporarily unavailable'],
  EACCES: [13, 'PermissionError', 'Permission denied'],
  EINVAL: [22, 'OSError', 'Invalid argument'],
  ENFILE: [23, 'OSError', 'Too many open files in system'],
  EMFILE: [24, 'OSError', 'Too many open files'],
  EPIPE: [32, 'BrokenPipeError', 'Broken pipe'],
  EADDRINUSE: [98, 'OSError', 'Address already in use'],
  EADDRNOTAVAIL: [99, 'OSError', 'Cannot assign requested address'],
  ENETUNREACH: [101, 'OSError', 'Network is unreachable'],
  ECONNABORTED: [103, 'ConnectionAbortedError', 'Software caused connection abort'],
  ECONNRESET: [104, 'ConnectionResetError', 'Connection reset by peer'],
  ENOBUFS: [105, 'OSError', 'No buffer space available'],
  EISCONN: [106, 'OSError', 'Transport endpoint is already connected'],
  ENOTCONN: [107, 'OSError', 'Transport endpoint is not connected'],
  ETIMEDOUT: [110, 'TimeoutError', 'Connection timed out'],
  ECONNREFUSED: [111, 'ConnectionRefusedError', 'Connection refused'],
  EHOSTUNREACH: [113, 'OSError', 'No route to host'],
  EALREADY: [114, 'BlockingIOError', 'Operation already in progress'],
  EINPROGRESS: [115, 'BlockingIOError', 'Operation now in progress'],
} as const;

export type ErrnoName = keyof typeof ERRORS;

export function errnoError(name: ErrnoName): PyErrorInfo {
  const [errno, type, msg] = ERRORS[name];
  return { type, errno, msg };
}

export function errnoValue(name: ErrnoName): number {
  return ERRORS[name][0];
}

/** The errno name behind a Node.js system error code (`err.code`), when it is one we model. */
export function errnoFromNodeCode(code: string | undefined): ErrnoName | undefined {
  return code !== undefined && code in ERRORS ? (code as ErrnoName) : undefined;
}

/** `socket.timeout` after settimeout: since Python 3.10 it is TimeoutError, message 'timed out'. */
export const TIMED_OUT: PyErrorInfo = { type: 'TimeoutError', msg: 'timed out' };

/** The argument errors CPython raises before any system call. */
export function portRangeError(call: string): PyErrorInfo {
  return { type: 'OverflowError', msg: `${call}(): port must be 0-65535.` };
}

/** What getaddrinfo gives for a name it cannot resolve. */
export const NAME_NOT_KNOWN: PyErrorInfo = { type: 'socket.gaierror', errno: -2, msg: 'Name or service not known' };

/** What getaddrinfo gives for an IPv6 address asked for on an AF_INET socket. */
export const ADDRESS_FAMILY_NOT_SUPPORTED: PyErrorInfo = {
  type: 'socket.gaierror',
  errno: -9,
  msg: 'Address family for hostname not supported',
};
