// The page <-> server protocol of the lab bridge, version 2 (PROTOCOL_VERSION). Documented in docs/protocol.md.
//
// Text frames carry JSON control messages (below). Binary frames carry socket data
// (see data-frame.ts). Every message from a page is validated by parseClientMessage
// before the server acts on it; the page validates what the server sends the same way.

import { int, isObject, ProtocolError, SAFE, str, timeout, U32_MAX, type Json } from './json-fields.ts';

export const PROTOCOL_VERSION = 2;
/** Largest JSON control message a page may send. */
export const MAX_CONTROL_MESSAGE_BYTES = 16 * 1024;
/**
 * WebSocket close codes the server uses, and what the page does: it reconnects by itself after
 * GOING_AWAY (a restart) or a cut line; it says why and waits for the student after the others.
 */
export const CLOSE_CODES = {
  /** The server is shutting down or restarting. */
  GOING_AWAY: 1001,
  /** The page kept sending bad messages (or too many, too fast). */
  POLICY: 1008,
  /** The lab moved to another instance of a school's (its own came back): reconnect, through HAProxy, to it. */
  SERVICE_RESTART: 1012,
  /** The shared database (--database) could not be reached just now: reconnect in a moment. */
  TRY_AGAIN_LATER: 1013,
  /** The page speaks another protocol version: reload. */
  VERSION: 4000,
  /** The lab has no room for another device, or the device has too many consoles. */
  FULL: 4003,
  /** There is no lab with that code (or no longer). */
  UNKNOWN_LAB: 4004,
  /** The console sent nothing for the idle timeout. */
  IDLE: 4008,
  /** The teacher closed the lab. */
  LAB_CLOSED: 4010,
  /** Too many wrong lab codes from this address: wait a minute. */
  TOO_MANY_ATTEMPTS: 4029,
} as const;

/** The longest line a console passes to input() (the line discipline keeps lines shorter). */
export const MAX_STDIN_LINE_CHARS = 4096;

/** A Python exception as the program must raise it: class, errno (when it has one) and message. */
export interface PyErrorInfo {
  type: string;
  errno?: number;
  msg: string;
}

export type SockAddr = [host: string, port: number];

/** A socket operation a program asks the server to carry out (a "system call"). */
export type SocketCall =
  | { op: 'socket'; pid: number }
  | { op: 'bind'; sock: number; host: string; port: number }
  | { op: 'listen'; sock: number; backlog: number }
  /** timeoutMs: null blocks forever, 0 is non-blocking, n waits n ms then raises TimeoutError. */
  | { op: 'accept'; sock: number; timeoutMs: number | null }
  | { op: 'connect'; sock: number; host: string; port: number; timeoutMs: number | null }
  | { op: 'shutdown'; sock: number; how: number }
  | { op: 'close'; sock: number }
  | { op: 'getsockname'; sock: number }
  | { op: 'getpeername'; sock: number }
  | { op: 'setsockopt'; sock: number; level: number; name: number; value: number }
  /** The value of an option the server keeps (SO_REUSEADDR, TCP_NODELAY): a number, as CPython's. */
  | { op: 'getsockopt'; sock: number; level: number; name: number };

export type ShellCall =
  | { op: 'spawn'; name: string; argv: string[] }
  | { op: 'exit'; pid: number }
  /** A line typed in the console for a Python program's input() (null: end of input). */
  | { op: 'stdin'; pid: number; line: string | null }
  /** Ctrl-C for a Python program: it raises KeyboardInterrupt at its next blocking call. */
  | { op: 'interrupt'; pid: number }
  | { op: 'netstat' }
  | { op: 'ps' }
  | { op: 'kill'; pid: number }
  | { op: 'ipconfig' };

export type Call = SocketCall | ShellCall;
export type CallOp = Call['op'];

export type ClientMessage =
  | { t: 'hello'; v: number; lab: string; device: string }
  | ({ t: 'call'; id: number } & Call)
  /** The program consumed this many received bytes: the server may send that many more. */
  | { t: 'credit'; sock: number; bytes: number };

/** Results of each call, by op. */
export interface SocketInfo {
  sock: number;
  fd: number;
}
export interface AcceptResult extends SocketInfo {
  addr: SockAddr;
}
export interface NetstatRow {
  proto: 'TCP';
  local: string;
  foreign: string;
  state: string;
  pid: number;
  device: string;
  realPort?: number;
}
export interface ProcessRow {
  pid: number;
  console: number;
  name: string;
}
export interface CallResults {
  socket: SocketInfo;
  bind: null;
  listen: { realPort: number };
  accept: AcceptResult;
  connect: { local: SockAddr };
  shutdown: null;
  close: null;
  getsockname: SockAddr;
  getpeername: SockAddr;
  setsockopt: null;
  getsockopt: number;
  /** channel: for 'python', the token of its synchronous channel (shared/sync-protocol.ts). */
  spawn: { pid: number; channel?: string };
  stdin: null;
  interrupt: null;
  exit: null;
  netstat: NetstatRow[];
  ps: ProcessRow[];
  kill: null;
  ipconfig: { address: string; lab: string; device: number };
}

export interface Welcome {
  t: 'welcome';
  v: number;
  lab: string;
  device: { id: number; address: string };
  /** The console's own process (its shell). */
  pid: number;
  console: number;
  revealAnswers: boolean;
}

export type ServerMessage =
  | Welcome
  | { t: 'result'; id: number; ok: unknown }
  | { t: 'result'; id: number; err: PyErrorInfo }
  /** The server wrote this many of the page's bytes to the socket (or failed: err). */
  | { t: 'sent'; sock: number; bytes: number; err?: PyErrorInfo }
  /** The peer ended its stream: after the buffered data, recv returns b''. */
  | { t: 'eof'; sock: number }
  /** The connection failed (reset, ...): recv raises err after the buffered data. */
  | { t: 'broken'; sock: number; err: PyErrorInfo }
  /** Another console ran `kill PID`: the program ends. */
  | { t: 'kill'; pid: number }
  | { t: 'reveal'; revealAnswers: boolean }
  /** A message the server could not accept. */
  | { t: 'error'; code: string; msg: string };

// ---- validation -------------------------------------------------------------------------

export { ProtocolError };

/** Validates a call's fields (a page's bridge call, or the Python worker's). */
export function parseCall(m: Json): Call {
  const op = m.op;
  switch (op) {
    case 'socket':
      return { op, pid: int(m, 'pid', 1, U32_MAX) };
    case 'bind':
      return { op, sock: int(m, 'sock', 1, U32_MAX), host: str(m, 'host', 255), port: int(m, 'port', -SAFE, SAFE) };
    case 'listen':
      return { op, sock: int(m, 'sock', 1, U32_MAX), backlog: int(m, 'backlog', -SAFE, SAFE) };
    case 'accept':
      return { op, sock: int(m, 'sock', 1, U32_MAX), timeoutMs: timeout(m, 'timeoutMs') };
    case 'connect':
      return {
        op,
        sock: int(m, 'sock', 1, U32_MAX),
        host: str(m, 'host', 255),
        port: int(m, 'port', -SAFE, SAFE),
        timeoutMs: timeout(m, 'timeoutMs'),
      };
    case 'shutdown':
      return { op, sock: int(m, 'sock', 1, U32_MAX), how: int(m, 'how', -SAFE, SAFE) };
    case 'close':
    case 'getsockname':
    case 'getpeername':
      return { op, sock: int(m, 'sock', 1, U32_MAX) };
    case 'setsockopt':
      return {
        op,
        sock: int(m, 'sock', 1, U32_MAX),
        level: int(m, 'level', 0, U32_MAX),
        name: int(m, 'name', 0, U32_MAX),
        value: int(m, 'value', -SAFE, SAFE),
      };
    case 'getsockopt':
      return { op, sock: int(m, 'sock', 1, U32_MAX), level: int(m, 'level', 0, U32_MAX), name: int(m, 'name', 0, U32_MAX) };
    case 'spawn': {
      const argv = m.argv;
      if (!Array.isArray(argv) || argv.length > 16 || !argv.every((a) => typeof a === 'string' && a.length <= 256)) {
        throw new ProtocolError('bad-field', "field 'argv' must be a list of at most 16 short strings");
      }
      return { op, name: str(m, 'name', 64), argv: argv as string[] };
    }
    case 'exit':
    case 'kill':
    case 'interrupt':
      return { op, pid: int(m, 'pid', 0, U32_MAX) };
    case 'stdin': {
      const line = m.line === null ? null : str(m, 'line', MAX_STDIN_LINE_CHARS);
      return { op, pid: int(m, 'pid', 0, U32_MAX), line };
    }
    case 'netstat':
    case 'ps':
    case 'ipconfig':
      return { op };
    default:
      throw new ProtocolError('unknown-op', `unknown call '${String(op).slice(0, 32)}'`);
  }
}

/** Validates one JSON control message from a page. Throws ProtocolError with a clear message. */
export function parseClientMessage(text: string): ClientMessage {
  if (text.length > MAX_CONTROL_MESSAGE_BYTES) {
    throw new ProtocolError('too-large', `control message over ${MAX_CONTROL_MESSAGE_BYTES} bytes`);
  }
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    throw new ProtocolError('bad-json', 'control message is not valid JSON');
  }
  if (!isObject(m)) throw new ProtocolError('bad-message', 'control message must be a JSON object');
  switch (m.t) {
    case 'hello':
      return {
        t: 'hello',
        v: int(m, 'v', 0, 1000),
        lab: str(m, 'lab', 32),
        device: str(m, 'device', 64),
      };
    case 'call':
      return { t: 'call', id: int(m, 'id', 0, SAFE), ...parseCall(m) };
    case 'credit':
      return { t: 'credit', sock: int(m, 'sock', 1, U32_MAX), bytes: int(m, 'bytes', 1, 2 ** 31 - 1) };
    default:
      throw new ProtocolError('unknown-type', `unknown message type '${String(m.t).slice(0, 32)}'`);
  }
}

function pyError(m: Json, key: string): PyErrorInfo {
  const v = m[key];
  if (!isObject(v) || typeof v.type !== 'string' || typeof v.msg !== 'string') {
    throw new ProtocolError('bad-field', `field '${key}' must be a Python error`);
  }
  if (v.errno !== undefined) int(v, 'errno', -1000, 1000);
  return v as unknown as PyErrorInfo;
}

/** Validates a message from the server field by field (the page trusts nothing it cannot read). */
export function parseServerMessage(text: string): ServerMessage {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    throw new ProtocolError('bad-json', 'server message is not valid JSON');
  }
  if (!isObject(m)) throw new ProtocolError('bad-message', 'server message must be a JSON object');
  switch (m.t) {
    case 'welcome': {
      const device = m.device;
      if (!isObject(device)) throw new ProtocolError('bad-field', "field 'device' must be an object");
      int(device, 'id', 1, U32_MAX);
      str(device, 'address', 15);
      if (typeof m.revealAnswers !== 'boolean') throw new ProtocolError('bad-field', "field 'revealAnswers' must be a boolean");
      int(m, 'v', 0, 1000);
      str(m, 'lab', 32);
      int(m, 'pid', 1, U32_MAX);
      int(m, 'console', 1, U32_MAX);
      break;
    }
    case 'result':
      int(m, 'id', 0, SAFE);
      if ('err' in m) pyError(m, 'err');
      else if (!('ok' in m)) throw new ProtocolError('bad-field', "a result needs 'ok' or 'err'");
      break;
    case 'sent':
      int(m, 'sock', 1, U32_MAX);
      int(m, 'bytes', 0, SAFE);
      if (m.err !== undefined) pyError(m, 'err');
      break;
    case 'eof':
      int(m, 'sock', 1, U32_MAX);
      break;
    case 'broken':
      int(m, 'sock', 1, U32_MAX);
      pyError(m, 'err');
      break;
    case 'kill':
      int(m, 'pid', 0, U32_MAX);
      break;
    case 'reveal':
      if (typeof m.revealAnswers !== 'boolean') throw new ProtocolError('bad-field', "field 'revealAnswers' must be a boolean");
      break;
    case 'error':
      str(m, 'code', 64);
      str(m, 'msg', 1024);
      break;
    default:
      throw new ProtocolError('unknown-type', `unknown server message '${String(m.t).slice(0, 32)}'`);
  }
  return m as unknown as ServerMessage;
}
