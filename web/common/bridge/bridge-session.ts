// The page's end of the bridge: one WebSocket per console. It sends calls and matches their
// results, routes socket data and events to the sockets that own them, and tells the console
// when a program is killed. DOM-free: it takes any WebSocket-like object, so Node tests run
// it over the `ws` package and the page over the browser's WebSocket.

import {
  CLOSE_CODES,
  parseServerMessage,
  PROTOCOL_VERSION,
  type Call,
  type CallOp,
  type CallResults,
  type PyErrorInfo,
  type ServerMessage,
  type Welcome,
} from '../../../shared/bridge-protocol.ts';
import { decodeDataFrame, encodePageFrame } from '../../../shared/data-frame.ts';
import { Emitter, type Disposer, type Listener } from '../../../shared/emitter.ts';
import { PyException } from '../../../shared/py-exception.ts';
import { CreditBatcher } from './credit-batcher.ts';

/** The part of WebSocket the bridge uses (the browser's, or the `ws` package's in tests). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

/** What a socket on this page hears from the server. */
export interface SocketEvents {
  data(chunk: Uint8Array): void;
  eof(): void;
  broken(err: PyErrorInfo): void;
  sent(bytes: number, err?: PyErrorInfo): void;
}

/** The bridge closed, or never opened. closeCode is the WebSocket's close code (null: it
 * could not connect at all); close-reasons.ts says what it means to the student. */
export class BridgeClosedError extends Error {
  constructor(
    message: string,
    readonly closeCode: number | null = null,
  ) {
    super(message);
  }
}

/** A message the server could not accept, or a limit the console reached ({t:'error'}). */
export interface ServerNotice {
  code: string;
  msg: string;
}

/** WebSocket close code of a server that is going away. */
const GOING_AWAY = CLOSE_CODES.GOING_AWAY;
/** The close code of a console this page closed itself. */
const NORMAL_CLOSURE = 1000;
/** After an error message before the welcome, how long to wait for the close (and its code)
 * that follows it, before giving up on the connection anyway. */
const REFUSAL_CLOSE_WAIT_MS = 2000;

const NO_BYTES = new Uint8Array(0);

export class BridgeSession {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly sockets = new Map<number, SocketEvents>();
  private readonly kills = new Emitter<number>();
  private readonly closes = new Emitter<string>();
  private readonly reveals = new Emitter<boolean>();
  private readonly notices = new Emitter<ServerNotice>();
  private closedReason: string | null = null;
  private closedCode: number | null = null;
  /** What programs have read, on its way to the server (credit-batcher.ts). */
  private readonly credits = new CreditBatcher((sock, bytes) => {
    // A data frame with no payload: binary, so the server parses no JSON for it.
    if (this.closedReason === null) this.ws.send(encodePageFrame(sock, NO_BYTES, bytes, false));
  });
  revealAnswers: boolean;

  private constructor(
    private readonly ws: WebSocketLike,
    readonly welcome: Welcome,
  ) {
    this.revealAnswers = welcome.revealAnswers;
  }

  /**
   * Opens a console's session: connects, says hello, waits for the welcome. Rejects with a
   * BridgeClosedError carrying the close code (null when the server could not be reached).
   */
  static open(ws: WebSocketLike, lab: string, device: string): Promise<BridgeSession> {
    ws.binaryType = 'arraybuffer';
    return new Promise((resolve, reject) => {
      let session: BridgeSession | null = null;
      let settled = false;
      /** The server's {t:'error'} before the welcome: it says why, the close that follows says what kind. */
      let refusal: string | null = null;
      let refusalTimer: ReturnType<typeof setTimeout> | undefined;
      const fail = (error: BridgeClosedError) => {
        clearTimeout(refusalTimer);
        if (settled) return;
        settled = true;
        reject(error);
      };
      ws.onopen = () => ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, lab, device }));
      ws.onerror = () => {
        // Before the welcome: the server is not there (a close event follows, but it says no more).
        if (!session && refusal === null) fail(new BridgeClosedError('could not reach the lab server', null));
      };
      ws.onclose = (ev) => {
        if (!session) return fail(new BridgeClosedError(refusal ?? (ev.reason || 'the lab server closed the connection'), ev.code));
        // 1001: the server is shutting down (or restarting): say it the way a student reads it.
        session.handleClose(ev.code === GOING_AWAY || !ev.reason ? 'the lab server went away' : ev.reason, ev.code);
      };
      ws.onmessage = (ev) => {
        if (session) return session.handleMessage(ev.data);
        if (typeof ev.data !== 'string' || settled) return;
        let message: ServerMessage;
        try {
          message = parseServerMessage(ev.data);
        } catch {
          return;
        }
        if (message.t === 'welcome') {
          settled = true;
          session = new BridgeSession(ws, message);
          resolve(session);
        } else if (message.t === 'error' && refusal === null) {
          refusal = message.msg;
          refusalTimer = setTimeout(() => {
            fail(new BridgeClosedError(message.msg, null));
            ws.close(NORMAL_CLOSURE, 'refused');
          }, REFUSAL_CLOSE_WAIT_MS);
        }
      };
    });
  }

  /** The WebSocket's close code once closed (1000 when this page closed it), else null. */
  get closeCode(): number | null {
    return this.closedCode;
  }

  get closed(): boolean {
    return this.closedReason !== null;
  }

  /** Carries out one call on the server; a failure rejects with the PyException to raise. */
  call<K extends CallOp>(call: Extract<Call, { op: K }>): Promise<CallResults[K]> {
    if (this.closedReason !== null) return Promise.reject(new BridgeClosedError(this.closedReason, this.closedCode));
    const id = this.nextId++;
    // The server sees every read before the call (a close after reading everything is a FIN).
    this.credits.flush();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(JSON.stringify({ t: 'call', id, ...call }));
    });
  }

  /** Sends bytes of socket `sock` (with the credit gathered for it); ackNow: see shared/data-frame.ts. */
  sendData(sock: number, payload: Uint8Array, ackNow: boolean): void {
    if (this.closedReason === null) this.ws.send(encodePageFrame(sock, payload, this.credits.take(sock), ackNow));
  }

  /** A program read `bytes` of socket `sock`: its window opens by that much (see credit-batcher.ts). */
  credit(sock: number, bytes: number): void {
    if (this.closedReason === null) this.credits.add(sock, bytes);
  }

  /** Sends what programs have read now: before a program shows anything (credit-batcher.ts). */
  flushCredits(): void {
    this.credits.flush();
  }

  registerSocket(sock: number, events: SocketEvents): void {
    this.sockets.set(sock, events);
  }

  unregisterSocket(sock: number): void {
    this.sockets.delete(sock);
  }

  onKill(listener: Listener<number>): Disposer {
    return this.kills.on(listener);
  }

  onClose(listener: Listener<string>): Disposer {
    return this.closes.on(listener);
  }

  onReveal(listener: Listener<boolean>): Disposer {
    return this.reveals.on(listener);
  }

  /** {t:'error'} messages after the welcome (a limit reached, a message the server refused). */
  onNotice(listener: Listener<ServerNotice>): Disposer {
    return this.notices.on(listener);
  }

  close(): void {
    this.ws.close(NORMAL_CLOSURE, 'console closed');
    this.handleClose('console closed', NORMAL_CLOSURE);
  }

  private handleMessage(data: unknown): void {
    if (typeof data !== 'string') {
      const frame = decodeDataFrame(new Uint8Array(data as ArrayBuffer));
      if (typeof frame !== 'string') this.sockets.get(frame.sock)?.data(frame.payload);
      return;
    }
    let message: ServerMessage;
    try {
      message = parseServerMessage(data);
    } catch {
      return; // nothing sensible to do with a message we cannot read
    }
    switch (message.t) {
      case 'result': {
        const waiter = this.pending.get(message.id);
        if (!waiter) return;
        this.pending.delete(message.id);
        if ('err' in message) waiter.reject(PyException.from(message.err));
        else waiter.resolve(message.ok);
        return;
      }
      case 'sent':
        this.sockets.get(message.sock)?.sent(message.bytes, message.err);
        return;
      case 'eof':
        this.sockets.get(message.sock)?.eof();
        return;
      case 'broken':
        this.sockets.get(message.sock)?.broken(message.err);
        return;
      case 'kill':
        this.kills.emit(message.pid);
        return;
      case 'reveal':
        this.revealAnswers = message.revealAnswers;
        this.reveals.emit(message.revealAnswers);
        return;
      case 'error':
        if (this.notices.size === 0) console.warn(`lab server: ${message.msg}`);
        this.notices.emit({ code: message.code, msg: message.msg });
        return;
      case 'welcome':
        return;
    }
  }

  private handleClose(reason: string, code: number): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    this.closedCode = code;
    this.credits.clear();
    const error = new BridgeClosedError(reason, code);
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
    for (const events of this.sockets.values()) events.broken({ type: 'ConnectionAbortedError', errno: 103, msg: 'Software caused connection abort' });
    this.sockets.clear();
    this.closes.emit(reason);
  }
}
