// The Python worker's channel to the server. Students' Python runs in a Web Worker whose
// socket calls must block, and a page served over plain http has no SharedArrayBuffer; so
// the worker makes synchronous XMLHttpRequests: POST /api/sync/CHANNEL, one operation each.
// The server answers when the operation is done, or after SYNC_HOLD_MS with `again` (the
// worker then asks again), so no request is held long: Ctrl-C gets through, and the
// browser's six connections per host are never all taken. Documented in docs/protocol.md.
//
// Where the browser has JSPI (WebAssembly stack switching), Python can wait on a promise
// instead, so the worker sends the same requests over one WebSocket,
// CHANNEL's URL + SYNC_SOCKET_SUFFIX, opened as the program starts: a round trip there costs
// a tenth of a synchronous XMLHttpRequest's. Each binary message is one request frame; each
// answer is [HTTP status the POST would have had: u16 big-endian][answer frame], in order.
//
// Both bodies are frames: [json length: u32 big-endian][json, UTF-8][payload bytes].

import { parseCall, type PyErrorInfo, type SocketCall } from './bridge-protocol.ts';
import { DATA_FRAME_HEADER_BYTES, MAX_DATA_FRAME_PAYLOAD_BYTES } from './data-frame.ts';
import { int, isObject, ProtocolError, timeout, U32_MAX, type Json } from './json-fields.ts';
import { utf8Decode, utf8Encode } from './utf8.ts';

/** The longest the server holds a request before answering `again`. */
export const SYNC_HOLD_MS = 2000;
/** Most bytes a recv answer carries (the worker keeps them and serves small recv calls locally). */
export const SYNC_RECV_CHUNK_BYTES = 256 * 1024;
/** Largest request body: a send of one chunk with its header. */
export const MAX_SYNC_REQUEST_BYTES = 64 * 1024 + 4096;
/** The channel's WebSocket: the channel's URL with this after it. */
export const SYNC_SOCKET_SUFFIX = '/ws';
/** The lab's WebSocket server refuses a frame larger than the bridge's largest (its data frame,
 * server/bridge/bridge-plugin.ts), so a request over the channel's WebSocket is at most this. */
export const MAX_SYNC_SOCKET_MESSAGE_BYTES = DATA_FRAME_HEADER_BYTES + MAX_DATA_FRAME_PAYLOAD_BYTES;
/** Room for a send request's frame header and JSON (`{"op":"send","sock":4294967295}`). */
const SEND_HEADER_ROOM_BYTES = 256;
/** Most bytes one send request carries, on either path, so that one frame fits both. */
export const SYNC_SEND_CHUNK_BYTES = MAX_SYNC_SOCKET_MESSAGE_BYTES - SEND_HEADER_ROOM_BYTES;
/** The close code of the channel's WebSocket when its program has ended (as HTTP 410). */
export const SYNC_SOCKET_GONE_CLOSE_CODE = 4410;

export type SyncRequest = (
  /** A socket call; accept and connect honour timeoutMs like the bridge's. */
  | { op: 'call'; call: SocketCall }
  /** Bytes received on sock, at most max; timeoutMs as for accept. */
  | { op: 'recv'; sock: number; max: number; timeoutMs: number | null }
  /** The payload, written to sock; answered once the real socket has taken it. Non-blocking:
   * what fits in the send window is written, answered at once with its count (EAGAIN when
   * nothing fits). */
  | { op: 'send'; sock: number; nonBlocking?: true }
  /** Wait until everything sent on sock is taken (after an `again` to a send). */
  | { op: 'flush'; sock: number }
  /** The next line typed in the console (null at end of input). */
  | { op: 'stdin' }
  /** Answered at once: `interrupted` if Ctrl-C is pending, else ok (busy loops poll this). */
  | { op: 'signal' }
  /** select.select over the program's sockets. With watch (select.poll), a socket of watch
   * hung up or failed also ends the wait, and the answer has events: [[sock, poll bits], ...]
   * for every socket of read, write and watch. */
  | { op: 'select'; read: number[]; write: number[]; timeoutMs: number | null; watch?: number[] }
) & {
  /** Made by a thread other than the program's main one: a pending Ctrl-C is not this
   * request's to take (CPython raises KeyboardInterrupt in the main thread only). */
  bg?: true;
};

export type SyncResponse =
  | { ok: unknown }
  | { err: PyErrorInfo }
  /** Not done within SYNC_HOLD_MS: ask again (with what is left of any timeout). */
  | { again: true }
  /** Ctrl-C: the program raises KeyboardInterrupt. */
  | { interrupted: true };

/** What a recv answer's `ok` says; the bytes are the payload. */
export type RecvResult = 'data' | 'eof';

export function encodeSyncFrame(message: unknown, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = utf8Encode(JSON.stringify(message));
  const frame = new Uint8Array(4 + json.length + payload.length);
  new DataView(frame.buffer).setUint32(0, json.length);
  frame.set(json, 4);
  frame.set(payload, 4 + json.length);
  return frame;
}

export function decodeSyncFrame(frame: Uint8Array): { message: unknown; payload: Uint8Array } | string {
  if (frame.length < 4) return 'frame shorter than its header';
  const jsonBytes = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0);
  if (jsonBytes > frame.length - 4) return 'frame shorter than its JSON';
  try {
    const message: unknown = JSON.parse(utf8Decode(frame.subarray(4, 4 + jsonBytes)));
    return { message, payload: frame.subarray(4 + jsonBytes) };
  } catch {
    return 'frame JSON is not valid';
  }
}

/** One request over the channel's WebSocket: its tag, then the frame. */
export function encodeSocketRequest(tag: number, frame: Uint8Array): Uint8Array {
  const message = new Uint8Array(4 + frame.length);
  new DataView(message.buffer).setUint32(0, tag);
  message.set(frame, 4);
  return message;
}

export function decodeSocketRequest(message: Uint8Array): { tag: number; body: Uint8Array } | string {
  if (message.length < 4) return 'request shorter than its tag';
  return { tag: new DataView(message.buffer, message.byteOffset, message.byteLength).getUint32(0), body: message.subarray(4) };
}

/** One answer over the channel's WebSocket: the request's tag, the status, then the frame. */
export function encodeSocketAnswer(tag: number, status: number, frame: Uint8Array): Uint8Array {
  const message = new Uint8Array(6 + frame.length);
  const view = new DataView(message.buffer);
  view.setUint32(0, tag);
  view.setUint16(4, status);
  message.set(frame, 6);
  return message;
}

export function decodeSocketAnswer(message: Uint8Array): { tag: number; status: number; body: Uint8Array } | string {
  if (message.length < 6) return 'answer shorter than its tag and status';
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  return { tag: view.getUint32(0), status: view.getUint16(4), body: message.subarray(6) };
}

const MAX_SELECT_SOCKETS = 256;

function sockList(m: Json, key: string): number[] {
  const v = m[key];
  if (!Array.isArray(v) || v.length > MAX_SELECT_SOCKETS || !v.every((x) => Number.isInteger(x) && x >= 1 && x <= U32_MAX)) {
    throw new ProtocolError('bad-field', `field '${key}' must be a list of at most ${MAX_SELECT_SOCKETS} socket numbers`);
  }
  return v as number[];
}

/** Validates a request of the Python worker. Throws ProtocolError. */
export function parseSyncRequest(message: unknown): SyncRequest {
  if (!isObject(message)) throw new ProtocolError('bad-message', 'request must be a JSON object');
  const request = parseOp(message);
  if (message.bg === undefined) return request;
  if (message.bg !== true) throw new ProtocolError('bad-field', "field 'bg' must be true when present");
  return { ...request, bg: true };
}

function parseOp(message: Json): SyncRequest {
  switch (message.op) {
    case 'call': {
      if (!isObject(message.call)) throw new ProtocolError('bad-field', "field 'call' must be an object");
      const call = parseCall(message.call);
      if (!SOCKET_OPS.has(call.op)) throw new ProtocolError('unknown-op', `'${call.op}' is not a socket call`);
      return { op: 'call', call: call as SocketCall };
    }
    case 'recv':
      return {
        op: 'recv',
        sock: int(message, 'sock', 1, U32_MAX),
        max: int(message, 'max', 1, SYNC_RECV_CHUNK_BYTES),
        timeoutMs: timeout(message, 'timeoutMs'),
      };
    case 'send': {
      const sock = int(message, 'sock', 1, U32_MAX);
      if (message.nonBlocking === undefined) return { op: 'send', sock };
      if (message.nonBlocking !== true) throw new ProtocolError('bad-field', "field 'nonBlocking' must be true when present");
      return { op: 'send', sock, nonBlocking: true };
    }
    case 'flush':
      return { op: message.op, sock: int(message, 'sock', 1, U32_MAX) };
    case 'stdin':
    case 'signal':
      return { op: message.op };
    case 'select': {
      const select: SyncRequest = {
        op: 'select',
        read: sockList(message, 'read'),
        write: sockList(message, 'write'),
        timeoutMs: timeout(message, 'timeoutMs'),
      };
      return message.watch === undefined ? select : { ...select, watch: sockList(message, 'watch') };
    }
    default:
      throw new ProtocolError('unknown-op', `unknown request '${String(message.op).slice(0, 32)}'`);
  }
}

const SOCKET_OPS = new Set([
  'socket',
  'bind',
  'listen',
  'accept',
  'connect',
  'shutdown',
  'close',
  'getsockname',
  'getpeername',
  'setsockopt',
  'getsockopt',
]);
