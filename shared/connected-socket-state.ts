// What a program's recv and send on one TCP socket answer, as Linux answers them, written once
// for both places that keep a socket's received bytes for a program: the page's built-ins
// (web/common/net/bridge-socket.ts) and Python's channel on the server (server/bridge/sync-channel.ts).
// The real socket is the server's LabSocket; this is the program's view of its two streams:
// bytes received and not yet read, the end of the stream, an error (a reset) that is reported
// once, and bytes handed over for sending and not yet acknowledged as taken.
//
// The rules (Linux's tcp_recvmsg and tcp_sendmsg, as a program sees them):
// - recv on a closed socket: EBADF. On a socket that is not connected: its pending SO_ERROR
//   (a failed non-blocking connect's), else ENOTCONN. While a connect is under way: EAGAIN
//   when non-blocking, else wait for the outcome.
// - recv on a connected socket returns bytes while any are held (at most n), even after the
//   peer's end or a reset; then the reset's error, once; then b'' (end of stream) forever.
//   With nothing to say: EAGAIN when non-blocking, else wait.
// - send: EBADF on a closed socket; a pending SO_ERROR while not connected; the reset's error
//   if no call has taken it yet (then EPIPE from the server, as Linux gives after a reset);
//   an error met writing earlier bytes, to every later send.
// - A non-blocking send takes what fits in the send window and returns that count; with the
//   window full it raises EAGAIN (sending nothing).

import type { PyErrorInfo } from './bridge-protocol.ts';
import { ByteQueue } from './byte-queue.ts';
import { errnoError } from './socket-errors.ts';

/** Where the socket is, as far as recv and send care. */
export type SocketLink = 'closed' | 'unconnected' | 'connecting' | 'connected';

/** What a recv does now: return bytes, end of stream, raise, or wait for an event. */
export type RecvStep = { data: Uint8Array } | { eof: true } | { err: PyErrorInfo } | { wait: true };

/** What a send does before it hands bytes over: raise, wait for a connect's outcome, or go on. */
export type SendCheck = { err: PyErrorInfo } | { wait: true } | null;

export class ConnectedSocketState {
  private readonly received = new ByteQueue();
  /** The peer's end of stream arrived, the socket was shut for reading, or its error was reported. */
  private endedFlag = false;
  /** The connection's error (a reset), until a call reports it. */
  private pending: PyErrorInfo | null = null;
  /** The connection failed (reset): its error may have been reported already. */
  private failedFlag = false;
  /** An error met writing bytes already handed over: every later send raises it. */
  private sendFailure: PyErrorInfo | null = null;
  private handedBytes = 0;
  private ackedBytes = 0;

  // ---- events ----

  /** Bytes arrived from the peer. */
  arrived(chunk: Uint8Array): void {
    this.received.push(chunk);
  }

  /** The peer's end of stream arrived, or the socket was shut for reading. */
  ended(): void {
    this.endedFlag = true;
  }

  /** The connection failed (a reset): its error waits for the next call. */
  reset(err: PyErrorInfo): void {
    this.pending = err;
    this.failedFlag = true;
  }

  /** Bytes were handed over for sending. */
  handed(bytes: number): void {
    this.handedBytes += bytes;
  }

  /** The server's socket took bytes (or failed writing them: err, kept for later sends). */
  acked(bytes: number, err?: PyErrorInfo): void {
    this.ackedBytes += bytes;
    if (err) this.sendFailure ??= err;
  }

  // ---- facts ----

  /** Bytes received and not yet read. */
  get buffered(): number {
    return this.received.length;
  }

  /** Bytes handed over and not yet acknowledged. */
  get inFlight(): number {
    return this.handedBytes - this.ackedBytes;
  }

  /** Every byte handed over so far is acknowledged. */
  get allAcked(): boolean {
    return this.ackedBytes >= this.handedBytes;
  }

  /** Bytes handed over so far (a sender waits until ackedBytes reaches it). */
  get handedTotal(): number {
    return this.handedBytes;
  }

  get ackedTotal(): number {
    return this.ackedBytes;
  }

  /** The connection's error waits to be reported. */
  get errorPending(): boolean {
    return this.pending !== null;
  }

  /** The connection was reset (reported or not). */
  get wasReset(): boolean {
    return this.failedFlag;
  }

  /** The end of the stream is known (peer's end, shut for reading, or error reported). */
  get atEnd(): boolean {
    return this.endedFlag;
  }

  /** A send already failed writing (its error is every later send's). */
  get sendFailed(): boolean {
    return this.sendFailure !== null;
  }

  /** A recv would not wait: bytes, the end of the stream or an error to report. */
  get recvWouldReturn(): boolean {
    return this.received.length > 0 || this.endedFlag || this.pending !== null;
  }

  /** A waiting sender is done: everything acknowledged, or an error to raise. */
  get sendSettled(): boolean {
    return this.allAcked || this.sendFailure !== null || this.pending !== null;
  }

  // ---- calls ----

  /**
   * recv(max): what it answers now. soError takes a not-connected socket's pending SO_ERROR
   * (null when there is none).
   */
  recv(link: SocketLink, max: number, nonBlocking: boolean, soError: () => PyErrorInfo | null = () => null): RecvStep {
    if (link === 'closed') return { err: errnoError('EBADF') };
    if (link === 'connecting') return nonBlocking ? { err: errnoError('EAGAIN') } : { wait: true };
    if (link === 'unconnected') return { err: soError() ?? errnoError('ENOTCONN') };
    if (this.received.length > 0) return { data: this.received.take(max) };
    if (this.pending) return { err: this.takeError() };
    if (this.endedFlag) return { eof: true };
    return nonBlocking ? { err: errnoError('EAGAIN') } : { wait: true };
  }

  /**
   * What a send meets before its bytes go: null to go on (the server's socket then decides
   * EPIPE for a socket not connected or shut for writing). A connect under way: wait.
   */
  sendCheck(link: SocketLink, soError: () => PyErrorInfo | null = () => null): SendCheck {
    if (link === 'closed') return { err: errnoError('EBADF') };
    if (link === 'connecting') return { wait: true };
    if (link === 'unconnected') {
      const err = soError();
      if (err) return { err };
    }
    if (this.pending) return { err: this.takeError() };
    if (this.sendFailure) return { err: this.sendFailure };
    return null;
  }

  /** After a sender waited (sendSettled): null when its bytes were all taken, else its error. */
  sendOutcome(): PyErrorInfo | null {
    if (this.allAcked && !this.sendFailure) return null;
    return this.sendFailure ?? this.takeError();
  }

  /**
   * How many of length bytes a non-blocking send takes with windowBytes the most that may be
   * unacknowledged: what fits, or EAGAIN when nothing does (Linux: a full send buffer).
   */
  nonBlockingSendBytes(length: number, windowBytes: number): number | { err: PyErrorInfo } {
    if (length === 0) return 0;
    const room = windowBytes - this.inFlight;
    if (room <= 0) return { err: errnoError('EAGAIN') };
    return Math.min(length, room);
  }

  /** Linux reports a connection's error once, to whichever call comes first; after that the
   * socket reads as ended (b'') and sends fail with EPIPE. */
  private takeError(): PyErrorInfo {
    const err = this.pending!;
    this.pending = null;
    this.endedFlag = true;
    return err;
  }
}
