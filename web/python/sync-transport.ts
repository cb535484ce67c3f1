// The Python worker's client of its program's synchronous channel (POST /api/sync/CHANNEL,
// shared/sync-protocol.ts). A socket call must block the Python code that makes it, and a
// page served over plain http has no SharedArrayBuffer, so each request is a synchronous
// XMLHttpRequest (allowed in a worker). The server holds a request at most SYNC_HOLD_MS, then
// answers `again`: this client asks again with what is left of the program's timeout, so a
// blocking call costs one request per SYNC_HOLD_MS, and Ctrl-C (the server answers
// `interrupted`) gets through at once.
//
// Reads are buffered here: a recv asks the server for up to SYNC_RECV_CHUNK_BYTES and later
// recv calls are served from what is left, so a loop of small recv calls pays no round trip.

import type { PyErrorInfo, SocketCall } from '../../shared/bridge-protocol.ts';
import { TIMED_OUT } from '../../shared/socket-errors.ts';
import {
  decodeSyncFrame,
  encodeSyncFrame,
  MAX_SYNC_REQUEST_BYTES,
  SYNC_RECV_CHUNK_BYTES,
  type SyncRequest,
} from '../../shared/sync-protocol.ts';
import { ReceiveBuffers } from './receive-buffers.ts';

/** Most bytes one send carries: a request body holds them with their header. */
export const SEND_CHUNK_BYTES = MAX_SYNC_REQUEST_BYTES - 4096;

/** One synchronous round trip; status 0 when the server could not be reached. */
export type SyncPost = (url: string, body: Uint8Array) => { status: number; body: Uint8Array };

export type SyncOutcome =
  | { kind: 'ok'; value: unknown; payload: Uint8Array }
  | { kind: 'err'; error: PyErrorInfo }
  /** Ctrl-C: the program raises KeyboardInterrupt. */
  | { kind: 'interrupted' }
  /** The program has ended on the server (kill, console closed): its channel is gone. */
  | { kind: 'gone' }
  /** The server could not be reached, or refused the request (a bug of ours). */
  | { kind: 'failed'; message: string };

type Answer = SyncOutcome | { kind: 'again' };

const NO_PAYLOAD = new Uint8Array(0);

export const xhrPost: SyncPost = (url, body) => {
  const xhr = new XMLHttpRequest();
  xhr.open('POST', url, false); // synchronous: the worker's Python waits here
  xhr.responseType = 'arraybuffer';
  xhr.setRequestHeader('content-type', 'application/octet-stream');
  try {
    // A copy that owns its buffer: body may be a view into Pyodide's memory.
    xhr.send(body.slice());
  } catch {
    return { status: 0, body: NO_PAYLOAD };
  }
  return { status: xhr.status, body: xhr.response instanceof ArrayBuffer ? new Uint8Array(xhr.response) : NO_PAYLOAD };
};

export class SyncTransport {
  private readonly received = new ReceiveBuffers();

  /** Called whenever the server answers `interrupted`: Ctrl-C has reached the program. */
  onInterrupted: () => void = () => undefined;

  constructor(
    private readonly url: string,
    private readonly post: SyncPost = xhrPost,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A socket call; accept and connect wait as long as call.timeoutMs says. */
  call(call: SocketCall): SyncOutcome {
    const timeoutMs = 'timeoutMs' in call ? call.timeoutMs : null;
    return this.untilAnswered((left) => ({ op: 'call', call: left === undefined ? call : { ...call, timeoutMs: left } }), timeoutMs, {
      kind: 'err',
      error: TIMED_OUT,
    });
  }

  /** At most max bytes received on sock (value 'data'), or value 'eof' at the end of the stream. */
  recv(sock: number, max: number, timeoutMs: number | null): SyncOutcome {
    const held = this.received.take(sock, max);
    if (held) return { kind: 'ok', value: 'data', payload: held };
    const outcome = this.untilAnswered(
      (left) => ({ op: 'recv', sock, max: SYNC_RECV_CHUNK_BYTES, timeoutMs: left ?? timeoutMs }),
      timeoutMs,
      { kind: 'err', error: TIMED_OUT },
    );
    if (outcome.kind !== 'ok' || outcome.value !== 'data' || outcome.payload.length <= max) return outcome;
    this.received.keep(sock, outcome.payload.subarray(max));
    return { ...outcome, payload: outcome.payload.subarray(0, max) };
  }

  /** Bytes received on sock and held here (select counts the socket as readable). */
  buffered(sock: number): number {
    return this.received.size(sock);
  }

  /** The socket is closed: what it held is dropped. */
  forget(sock: number): void {
    this.received.drop(sock);
  }

  /** Writes data (at most SEND_CHUNK_BYTES); ok once the server's socket has taken it. */
  send(sock: number, data: Uint8Array, timeoutMs: number | null): SyncOutcome {
    if (data.length > SEND_CHUNK_BYTES) throw new RangeError(`send at most ${SEND_CHUNK_BYTES} bytes at a time`);
    // The first request carries the bytes; after an `again`, flush waits for them to be taken.
    let first = true;
    return this.untilAnswered(
      () => {
        const request: SyncRequest = first ? { op: 'send', sock } : { op: 'flush', sock };
        first = false;
        return request;
      },
      timeoutMs,
      { kind: 'err', error: TIMED_OUT },
      data,
    );
  }

  /** select.select: value {read, write}, the ready sockets (empty lists after the timeout). */
  select(read: readonly number[], write: readonly number[], timeoutMs: number | null): SyncOutcome {
    const heldReadable = read.filter((sock) => this.received.size(sock) > 0);
    if (heldReadable.length > 0) {
      // Ready now: ask the server about the others without waiting.
      const others = read.filter((sock) => !heldReadable.includes(sock));
      if (others.length === 0 && write.length === 0) return ok({ read: heldReadable, write: [] });
      const polled = this.exchange({ op: 'select', read: others, write: [...write], timeoutMs: 0 }, NO_PAYLOAD);
      if (polled.kind === 'again') return ok({ read: heldReadable, write: [] });
      if (polled.kind !== 'ok') return polled;
      const ready = polled.value as { read: number[]; write: number[] };
      return ok({ read: read.filter((sock) => heldReadable.includes(sock) || ready.read.includes(sock)), write: ready.write });
    }
    return this.untilAnswered(
      (left) => ({ op: 'select', read: [...read], write: [...write], timeoutMs: left ?? timeoutMs }),
      timeoutMs,
      ok({ read: [], write: [] }),
    );
  }

  /** time.sleep: the server waits (a select on nothing), so Ctrl-C ends it at once. */
  sleep(ms: number): SyncOutcome {
    if (ms <= 0) return ok(null);
    return this.untilAnswered((left) => ({ op: 'select', read: [], write: [], timeoutMs: left ?? ms }), ms, ok(null));
  }

  /** The next line typed in the console (value null at end of input). */
  stdin(): SyncOutcome {
    return this.untilAnswered(() => ({ op: 'stdin' }), null, ok(null));
  }

  /** True when Ctrl-C is pending (the server answers at once; busy loops poll this). */
  signalPending(): boolean {
    return this.exchange({ op: 'signal' }, NO_PAYLOAD).kind === 'interrupted';
  }

  /**
   * Asks until the answer is not `again`. With a timeout, each request carries what is left of
   * it (left, in ms; undefined on the first request, which carries the program's own); once
   * nothing is left the outcome is `expired` (the server says it itself when it can).
   */
  private untilAnswered(
    request: (left: number | undefined) => SyncRequest,
    timeoutMs: number | null,
    expired: SyncOutcome,
    payload: Uint8Array = NO_PAYLOAD,
  ): SyncOutcome {
    const deadline = timeoutMs === null ? null : this.now() + timeoutMs;
    let left: number | undefined;
    for (;;) {
      const answer = this.exchange(request(left), payload);
      if (answer.kind !== 'again') return answer;
      payload = NO_PAYLOAD;
      if (deadline !== null) {
        left = Math.ceil(deadline - this.now());
        if (left <= 0) return expired;
      }
    }
  }

  private exchange(request: SyncRequest, payload: Uint8Array): Answer {
    const response = this.post(this.url, encodeSyncFrame(request, payload));
    if (response.status === 0) return { kind: 'failed', message: 'the lab server could not be reached' };
    if (response.status === 410) return { kind: 'gone' };
    const frame = decodeSyncFrame(response.body);
    if (typeof frame === 'string') return { kind: 'failed', message: `unreadable answer (HTTP ${response.status}): ${frame}` };
    const message = frame.message as Record<string, unknown> | null;
    if (response.status !== 200 || typeof message !== 'object' || message === null) {
      const said = typeof message?.error === 'string' ? message.error : `HTTP ${response.status}`;
      return { kind: 'failed', message: said };
    }
    if (message.again === true) return { kind: 'again' };
    if (message.interrupted === true) {
      this.onInterrupted();
      return { kind: 'interrupted' };
    }
    if (isPyError(message.err)) return { kind: 'err', error: message.err };
    if ('ok' in message) return { kind: 'ok', value: message.ok, payload: frame.payload };
    return { kind: 'failed', message: 'an answer with neither ok nor err' };
  }
}

function ok(value: unknown): SyncOutcome {
  return { kind: 'ok', value, payload: NO_PAYLOAD };
}

function isPyError(v: unknown): v is PyErrorInfo {
  return typeof v === 'object' && v !== null && typeof (v as PyErrorInfo).type === 'string' && typeof (v as PyErrorInfo).msg === 'string';
}
