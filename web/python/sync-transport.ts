// The Python worker's client of its program's channel (shared/sync-protocol.ts). A socket
// call must block the Python code that makes it, and a page served over plain http has no
// SharedArrayBuffer, so there are two ways to wait for the server's answer:
// - blocking: a synchronous XMLHttpRequest, POST /api/sync/CHANNEL (allowed in a worker);
// - suspending: where the browser has JSPI, the request goes over the channel's WebSocket
//   (socket-link.ts) and Python waits on the promise of its answer (pyodide.ffi.run_sync),
//   about ten times faster a round trip.
// The server holds a request at most SYNC_HOLD_MS, then answers `again`: this client asks
// again with what is left of the program's timeout, so a blocking call costs one request per
// SYNC_HOLD_MS, and Ctrl-C (the server answers `interrupted`) gets through at once.
//
// Each call is written once, as steps (a generator that yields each request and is given its
// answer), and run by either driver, so both ways behave the same by construction.
//
// Reads are buffered here: a recv asks the server for up to SYNC_RECV_CHUNK_BYTES and later
// recv calls are served from what is left, so a loop of small recv calls pays no round trip.

import type { PyErrorInfo, SocketCall } from '../../shared/bridge-protocol.ts';
import { errnoError, TIMED_OUT } from '../../shared/socket-errors.ts';
import { POLLIN } from '../../shared/socket-readiness.ts';
import {
  decodeSyncFrame,
  encodeSyncFrame,
  SYNC_RECV_CHUNK_BYTES,
  SYNC_SEND_CHUNK_BYTES,
  type SyncRequest,
} from '../../shared/sync-protocol.ts';
import { ReceiveBuffers } from '../common/python/receive-buffers.ts';

/** Most bytes one send carries: a request holds them with their header, on either way. */
export const SEND_CHUNK_BYTES = SYNC_SEND_CHUNK_BYTES;

/** The server's answer to one request: its HTTP status (0 when the server could not be reached) and body. */
export interface SyncReplyBytes {
  status: number;
  body: Uint8Array;
}

/** One synchronous round trip. */
export type SyncPost = (url: string, body: Uint8Array) => SyncReplyBytes;
/** One round trip over the channel's WebSocket. */
export type SuspendingPost = (body: Uint8Array) => Promise<SyncReplyBytes>;

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

/** One request to make, with its payload. */
export interface SyncExchange {
  request: SyncRequest;
  payload: Uint8Array;
}

/** A call's steps: yields each request, is given its answer, returns the outcome. */
export type ChannelSteps = Generator<SyncExchange, SyncOutcome, Answer>;

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
  /** Called when the server has answered a request that looked for a pending Ctrl-C (every
   * request but an option call): the busy-loop poll need not ask again so soon. */
  onCtrlCChecked: () => void = () => undefined;
  /** Whether the Python code making a call now is a thread other than the program's main one
   * (labthread): its requests say bg, so a pending Ctrl-C stays the main thread's. */
  inBackground: () => boolean = () => false;
  /** Asked, for the main thread's waiting calls, at each `again`: true ends the call as
   * `interrupted` (Ctrl-C that another thread's request took, thread-host.ts). */
  takeMainInterrupt: () => boolean = () => false;

  constructor(
    private readonly url: string,
    private readonly post: SyncPost = xhrPost,
    private readonly now: () => number = () => performance.now(),
    /** The channel's WebSocket, when Python can wait on a promise (JSPI); else null. */
    private readonly socketPost: SuspendingPost | null = null,
  ) {}

  /** Whether calls can go over the WebSocket (settle with suspend true returns promises). */
  get suspends(): boolean {
    return this.socketPost !== null;
  }

  /** Runs a call's steps with synchronous requests. */
  blocking(steps: ChannelSteps): SyncOutcome {
    const bg = this.inBackground();
    let next = steps.next();
    while (!next.done) next = steps.next(this.answerOf(next.value.request, this.post(this.url, encode(next.value, bg))));
    return next.value;
  }

  /**
   * Runs a call's steps over the WebSocket when suspend is true and there is one (a promise,
   * unless the call needs no request at all), else as blocking does. suspend is false where
   * Python cannot wait on a promise (pyodide.ffi.can_run_sync()). Once abandoned() is true,
   * an `again` answer ends the call rather than asking once more.
   */
  settle(steps: ChannelSteps, suspend: boolean, abandoned: () => boolean = () => false): SyncOutcome | Promise<SyncOutcome> {
    const socketPost = this.socketPost;
    if (!suspend || !socketPost) return this.blocking(steps);
    const bg = this.inBackground();
    const first = steps.next();
    if (first.done) return first.value;
    const firstPosted = socketPost(encode(first.value, bg)); // now: its payload may be Pyodide's memory
    return (async (): Promise<SyncOutcome> => {
      let next: IteratorResult<SyncExchange, SyncOutcome> = first;
      let posted = firstPosted;
      for (;;) {
        const answer = this.answerOf(next.value.request, await posted);
        // Nobody waits for it any more (a woken select): ask no further.
        if (abandoned()) return answer.kind === 'again' ? ok({ read: [], write: [] }) : answer;
        if (answer.kind === 'again' && !bg && this.takeMainInterrupt()) return { kind: 'interrupted' };
        next = steps.next(answer);
        if (next.done) return next.value;
        posted = socketPost(encode(next.value, bg));
      }
    })();
  }

  /** A socket call; accept and connect wait as long as call.timeoutMs says. */
  *call(call: SocketCall): ChannelSteps {
    const timeoutMs = 'timeoutMs' in call ? call.timeoutMs : null;
    return yield* this.untilAnswered((left) => ({ op: 'call', call: left === undefined ? call : { ...call, timeoutMs: left } }), timeoutMs, {
      kind: 'err',
      error: TIMED_OUT,
    });
  }

  /** At most max bytes received on sock (value 'data'), or value 'eof' at the end of the stream. */
  *recv(sock: number, max: number, timeoutMs: number | null): ChannelSteps {
    const held = this.received.take(sock, max);
    if (held) return { kind: 'ok', value: 'data', payload: held };
    const outcome = yield* this.untilAnswered(
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

  /**
   * Writes data (at most SEND_CHUNK_BYTES); ok once the server's socket has taken it. Non-blocking
   * (timeoutMs 0): value is how many bytes the send window took, at once (EAGAIN: none).
   */
  send(sock: number, data: Uint8Array, timeoutMs: number | null): ChannelSteps {
    // Checked now, not at the first step: a caller's mistake, thrown where it is made.
    if (data.length > SEND_CHUNK_BYTES) throw new RangeError(`send at most ${SEND_CHUNK_BYTES} bytes at a time`);
    // Both drivers encode the first request (which carries data) before returning: data may
    // be a view into Pyodide's memory, valid only until Python runs again.
    if (timeoutMs === 0) return this.sendNowSteps(sock, data);
    return this.sendSteps(sock, data, timeoutMs);
  }

  private *sendNowSteps(sock: number, data: Uint8Array): ChannelSteps {
    // The server answers at once; an `again` (it never sends one here) would mean no room.
    return yield* this.untilAnswered(() => ({ op: 'send', sock, nonBlocking: true }), 0, { kind: 'err', error: errnoError('EAGAIN') }, data);
  }

  private *sendSteps(sock: number, data: Uint8Array, timeoutMs: number | null): ChannelSteps {
    // The first request carries the bytes; after an `again`, flush waits for them to be taken.
    let first = true;
    return yield* this.untilAnswered(
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

  /**
   * select.select: value {read, write}, the ready sockets (empty lists after the timeout).
   * With watch (select.poll), also events: [[sock, poll bits], ...] (the server's tcp_poll,
   * with POLLIN for bytes held here), and a hang-up or error of a watched socket ends the wait.
   */
  *select(read: readonly number[], write: readonly number[], timeoutMs: number | null, watch?: readonly number[]): ChannelSteps {
    const watching = watch ? { watch: [...watch] } : {};
    const heldReadable = read.filter((sock) => this.received.size(sock) > 0);
    if (heldReadable.length > 0) {
      // Ready now: ask the server about the others without waiting.
      const others = read.filter((sock) => !heldReadable.includes(sock));
      const heldOnly = ok({ read: heldReadable, write: [], ...(watch ? { events: heldReadable.map((sock) => [sock, POLLIN]) } : {}) });
      if (others.length === 0 && write.length === 0 && !watch) return heldOnly;
      const polled: Answer = yield { request: { op: 'select', read: others, write: [...write], timeoutMs: 0, ...watching }, payload: NO_PAYLOAD };
      if (polled.kind === 'again') return heldOnly;
      if (polled.kind !== 'ok') return polled;
      const ready = polled.value as { read: number[]; write: number[]; events?: [number, number][] };
      const events = ready.events?.map(([sock, bits]): [number, number] => [sock, heldReadable.includes(sock) ? bits | POLLIN : bits]);
      return ok({
        read: read.filter((sock) => heldReadable.includes(sock) || ready.read.includes(sock)),
        write: ready.write,
        ...(events ? { events } : {}),
      });
    }
    return yield* this.untilAnswered(
      (left) => ({ op: 'select', read: [...read], write: [...write], timeoutMs: left ?? timeoutMs, ...watching }),
      timeoutMs,
      ok({ read: [], write: [] }),
    );
  }

  /** time.sleep: the server waits (a select on nothing), so Ctrl-C ends it at once. */
  *sleep(ms: number): ChannelSteps {
    if (ms <= 0) return ok(null);
    return yield* this.untilAnswered((left) => ({ op: 'select', read: [], write: [], timeoutMs: left ?? ms }), ms, ok(null));
  }

  /** The next line typed in the console (value null at end of input). */
  *stdin(): ChannelSteps {
    return yield* this.untilAnswered(() => ({ op: 'stdin' }), null, ok(null));
  }

  /** True when Ctrl-C is pending (the server answers at once; busy loops poll this, blocking:
   * Python is running then, so it cannot wait on a promise). */
  signalPending(): boolean {
    return this.blocking(this.signalSteps()).kind === 'interrupted';
  }

  /** The same over the WebSocket, asked on the main thread's behalf while it waits on a lock. */
  async signalPendingForMain(): Promise<boolean> {
    const socketPost = this.socketPost;
    if (!socketPost) return false;
    const exchange: SyncExchange = { request: { op: 'signal' }, payload: NO_PAYLOAD };
    const answer = this.answerOf(exchange.request, await socketPost(encode(exchange, false)));
    return answer.kind === 'interrupted';
  }

  private *signalSteps(): ChannelSteps {
    const answer: Answer = yield { request: { op: 'signal' }, payload: NO_PAYLOAD };
    return answer.kind === 'again' ? ok(null) : answer;
  }

  /**
   * Asks until the answer is not `again`. With a timeout, each request carries what is left of
   * it (left, in ms; undefined on the first request, which carries the program's own); once
   * nothing is left the outcome is `expired` (the server says it itself when it can).
   */
  private *untilAnswered(
    request: (left: number | undefined) => SyncRequest,
    timeoutMs: number | null,
    expired: SyncOutcome,
    payload: Uint8Array = NO_PAYLOAD,
  ): ChannelSteps {
    const deadline = timeoutMs === null ? null : this.now() + timeoutMs;
    let left: number | undefined;
    for (;;) {
      const answer: Answer = yield { request: request(left), payload };
      if (answer.kind !== 'again') return answer;
      payload = NO_PAYLOAD;
      if (deadline !== null) {
        left = Math.ceil(deadline - this.now());
        if (left <= 0) return expired;
      }
    }
  }

  /** What the server's reply to a request means. */
  private answerOf(request: SyncRequest, response: SyncReplyBytes): Answer {
    if (response.status === 200 && !isOptionCall(request)) this.onCtrlCChecked();
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

/** Option calls pass a pending Ctrl-C by (server/bridge/sync-channel.ts): their answers say nothing of it. */
function isOptionCall(request: SyncRequest): boolean {
  return request.op === 'call' && (request.call.op === 'setsockopt' || request.call.op === 'getsockopt');
}

function encode(exchange: SyncExchange, bg: boolean): Uint8Array {
  return encodeSyncFrame(bg ? { ...exchange.request, bg: true } : exchange.request, exchange.payload);
}

export function ok(value: unknown): SyncOutcome {
  return { kind: 'ok', value, payload: NO_PAYLOAD };
}

function isPyError(v: unknown): v is PyErrorInfo {
  return typeof v === 'object' && v !== null && typeof (v as PyErrorInfo).type === 'string' && typeof (v as PyErrorInfo).msg === 'string';
}
