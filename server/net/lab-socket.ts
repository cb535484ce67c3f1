// One socket of a lab program, with the real node:net object behind it: a net.Server for a
// listener, a net.Socket for a connection. It keeps the state a kernel keeps (bound address,
// listening, connected, half-closed) and moves data with flow control both ways:
// - received bytes go to the page only while fewer than its receive window (the lab's
//   buffered-bytes limit) are unread there; past that the real socket is paused, the kernel's
//   buffers fill, and the peer's sendall waits;
// - bytes from the page are acknowledged once the real socket has taken them (write callback),
//   so a page keeps at most its send window outstanding; bytes beyond what a page may have
//   outstanding are refused, not buffered, so no page can make the server hold more.
// What a program's recv and send then answer from what it was sent (a reset reported once,
// end of stream, EAGAIN, the send window) is shared/connected-socket-state.ts, kept where
// the program's bytes wait (the page's BridgeSocket, Python's SyncChannel).

import type net from 'node:net';
import type { PyErrorInfo, SockAddr } from '../../shared/bridge-protocol.ts';
import { Emitter, type Disposer } from '../../shared/emitter.ts';
import { MAX_DATA_FRAME_PAYLOAD_BYTES, PAGE_SEND_WINDOW_BYTES } from '../../shared/data-frame.ts';
import type { SocketLink } from '../../shared/connected-socket-state.ts';
import { formatIPv4 } from '../../shared/lab-address.ts';
import { errnoError, errnoFromNodeCode } from '../../shared/socket-errors.ts';
import type { Process } from '../lab/lab-registry.ts';

/**
 * Unacknowledged bytes from the page a socket takes at most. The page sends a frame while it
 * has less than its window outstanding, so it may go over by one frame less a byte.
 */
export const MAX_UNACKED_WRITE_BYTES = PAGE_SEND_WINDOW_BYTES + MAX_DATA_FRAME_PAYLOAD_BYTES;

export type SocketState = 'fresh' | 'bound' | 'listening' | 'connecting' | 'connected' | 'closed';

/** Where a socket's events go: the console session of the process that owns it. */
export interface SocketSink {
  data(sock: LabSocket, chunk: Uint8Array): void;
  eof(sock: LabSocket): void;
  broken(sock: LabSocket, err: PyErrorInfo): void;
  sent(sock: LabSocket, bytes: number, err?: PyErrorInfo): void;
  /** A non-blocking connect finished (connected, or failed with soError set): readiness changed. */
  connectSettled(sock: LabSocket): void;
}

/** A connection waiting in a listener's queue until the program calls accept(). */
export interface QueuedConnection {
  real: net.Socket;
  /** The peer address and local lab address, once known (see OriginRegistry); null for a
   * connection refused on arrival, which is reset and taken out of the queue. */
  origin: Promise<{ peer: SockAddr; localIp: number } | null>;
}

let nextSocketId = 1;

export function pyErrorFromNode(err: NodeJS.ErrnoException): PyErrorInfo {
  const name = errnoFromNodeCode(err.code);
  return name ? errnoError(name) : { type: 'OSError', msg: err.message };
}

// Its state changes only through its own methods (bound, startListening, connectStarted,
// attach, shutdown, close...): the lab network and the channels ask it, never set it.
export class LabSocket {
  readonly id = nextSocketId++;
  readonly fd: number;
  private current: SocketState = 'fresh';
  /** The lab address it is bound to (ip 0 is 0.0.0.0). */
  private localAt: { ip: number; port: number } | null = null;
  /** The peer as the program sees it. */
  private peerAt: SockAddr | null = null;
  /** A listener's real server and port on the host. */
  private server: net.Server | null = null;
  private serverPort = 0;
  private realSocket: net.Socket | null = null;
  readonly acceptQueue: QueuedConnection[] = [];
  /** Told when a connection is queued or the listener closes: every accept() and select()
   * waiting on it (several threads of a program may wait on one listener). */
  private readonly acceptable = new Emitter();
  /** Bytes sent to the page and not yet read by the program. */
  private unreadBytes = 0;
  /** Bytes from the page not yet acknowledged (written to the real socket, or failed). */
  private unackedWriteBytes = 0;
  private peerEndedFlag = false;
  private readShutFlag = false;
  private writeShutFlag = false;
  private brokenBy: PyErrorInfo | null = null;
  /**
   * The pending error of a non-blocking connect that failed (SO_ERROR): reported once, to
   * getsockopt(SO_ERROR), connect, recv or send, whichever asks first, as Linux does.
   */
  private pendingSoError: PyErrorInfo | null = null;
  /** A non-blocking connect finished and no connect() has been told yet: Linux answers the
   * next connect() with its outcome (0, or ECONNABORTED once its error was taken elsewhere). */
  private connectOutcomeUntold: 'connected' | 'failed' | null = null;
  /** A connect failed and no new one has started: Linux's socket is then shut both ways
   * (tcp_done), so poll reports it readable at its end as well as hung up. */
  private connectFailedFlag = false;
  /** SO_REUSEADDR (an accepted socket inherits its listener's). */
  reuseAddr = false;
  /**
   * TCP_NODELAY: false is Nagle's algorithm on, the default of Linux (and CPython) and of
   * node:net's sockets. Kept here and put on the real socket whenever there is one, so a
   * value set before connect() applies after it; an accepted socket inherits its listener's,
   * as on Linux.
   */
  private noDelayOn = false;
  readonly sink: SocketSink;

  constructor(
    readonly process: Process,
    sink: SocketSink,
    /** Unread bytes the page may hold before the real socket is paused (the buffered-bytes limit). */
    readonly recvWindowBytes: number,
  ) {
    this.sink = sink;
    this.fd = process.allocateFd();
    process.fds.set(this.fd, this);
    process.device.sockets.add(this);
  }

  get state(): SocketState {
    return this.current;
  }

  /** Where it is, as recv and send care (shared/connected-socket-state.ts). */
  get link(): SocketLink {
    switch (this.current) {
      case 'closed':
        return 'closed';
      case 'connecting':
        return 'connecting';
      case 'connected':
        return 'connected';
      default:
        return 'unconnected';
    }
  }

  get local(): { ip: number; port: number } | null {
    return this.localAt;
  }

  get peer(): SockAddr | null {
    return this.peerAt;
  }

  get realServer(): net.Server | null {
    return this.server;
  }

  get realPort(): number {
    return this.serverPort;
  }

  get real(): net.Socket | null {
    return this.realSocket;
  }

  get peerEnded(): boolean {
    return this.peerEndedFlag;
  }

  get readShut(): boolean {
    return this.readShutFlag;
  }

  get writeShut(): boolean {
    return this.writeShutFlag;
  }

  /** The connection's error (a reset), once it has one. */
  get broken(): PyErrorInfo | null {
    return this.brokenBy;
  }

  /** Its last connect failed (and none has started since). */
  get connectFailedBefore(): boolean {
    return this.connectFailedFlag;
  }

  /** A failed non-blocking connect's error, not yet taken. */
  get soError(): PyErrorInfo | null {
    return this.pendingSoError;
  }

  get isOpen(): boolean {
    return this.current !== 'closed';
  }

  /** bind(): fresh to bound at a lab address (the network checked it is free). */
  bound(local: { ip: number; port: number }): void {
    this.localAt = local;
    this.current = 'bound';
  }

  /** listen() starts: bound to listening, with the real server behind it. */
  startListening(server: net.Server): void {
    this.current = 'listening';
    this.server = server;
  }

  /** The real server listens on the host at this port. */
  listeningAt(realPort: number): void {
    this.serverPort = realPort;
  }

  /** The real server could not listen: back to bound. */
  listenFailed(): void {
    if (this.current === 'listening') this.current = 'bound';
    this.server = null;
  }

  /** A blocking connect failed (or was refused): a connect under way goes back to unconnected. */
  connectAborted(wasBound: boolean): void {
    if (this.current !== 'connecting') return;
    this.current = wasBound ? 'bound' : 'fresh';
    this.connectFailedFlag = true;
  }

  /** Its connection was reset before accept() handed it over: the program reads the end of
   * it (b''), told after it has the socket. */
  endedBeforeAccept(): void {
    if (!this.peerEndedFlag && this.isOpen) this.sink.eof(this);
  }

  localAddr(): SockAddr {
    return this.local ? [formatIPv4(this.local.ip), this.local.port] : ['0.0.0.0', 0];
  }

  get noDelay(): boolean {
    return this.noDelayOn;
  }

  set noDelay(on: boolean) {
    this.noDelayOn = on;
    if (this.real && !this.real.destroyed) this.real.setNoDelay(on);
  }

  /** An accepted socket takes its listener's SO_REUSEADDR and TCP_NODELAY, as on Linux. */
  inheritOptions(listener: LabSocket): void {
    this.reuseAddr = listener.reuseAddr;
    this.noDelay = listener.noDelay;
  }

  /** SO_ERROR: the pending error's errno (0 for none), taken. */
  takeSoError(): PyErrorInfo | null {
    const err = this.pendingSoError;
    this.pendingSoError = null;
    return err;
  }

  /** A non-blocking connect is under way (connect returned EINPROGRESS). */
  connectStarted(): void {
    this.current = 'connecting';
    this.connectOutcomeUntold = null;
    this.connectFailedFlag = false;
  }

  /** A non-blocking connect failed: back to unconnected, with its error pending. */
  connectFailed(err: PyErrorInfo, wasBound: boolean): void {
    this.connectAborted(wasBound);
    this.pendingSoError = err;
    this.connectOutcomeUntold = 'failed';
    this.sink.connectSettled(this);
  }

  /** A non-blocking connect succeeded (attach() has run). */
  connectSucceeded(): void {
    this.connectOutcomeUntold = 'connected';
    this.sink.connectSettled(this);
  }

  /**
   * What connect() answers before anything else, on Linux: the pending error of a connect
   * that failed; ECONNABORTED once for a failed one whose error was taken elsewhere; 0 once
   * for one that succeeded. null: go on (EALREADY, EISCONN or a new connect).
   */
  connectAgain(): { err: PyErrorInfo } | { ok: true } | null {
    const untold = this.connectOutcomeUntold;
    this.connectOutcomeUntold = null;
    if (this.pendingSoError) return { err: this.takeSoError()! };
    if (untold === 'failed') return { err: errnoError('ECONNABORTED') };
    if (untold === 'connected' && this.state === 'connected') return { ok: true };
    return null;
  }

  /** Takes over a connected real socket and starts moving its data to the page. */
  attach(real: net.Socket, local: { ip: number; port: number }, peer: SockAddr): void {
    this.realSocket = real;
    // Said explicitly, not left to node:net's default, so the lab's default is Linux's on purpose.
    real.setNoDelay(this.noDelayOn);
    this.localAt = local;
    this.peerAt = peer;
    this.current = 'connected';
    real.on('data', (chunk: Buffer) => {
      if (this.readShutFlag) return; // SHUT_RD: Linux drops what arrives
      this.unreadBytes += chunk.length;
      if (this.unreadBytes >= this.recvWindowBytes) real.pause();
      this.sink.data(this, chunk);
    });
    real.on('end', () => {
      this.peerEndedFlag = true;
      this.sink.eof(this);
    });
    real.on('error', (err: NodeJS.ErrnoException) => {
      if (this.brokenBy || this.current === 'closed') return;
      // A write to a peer that has gone (EPIPE) fails that write only; reads still end
      // normally (Linux: recv returns 0), so it is not the connection's pending error.
      if (err.code === 'EPIPE') return;
      this.brokenBy = pyErrorFromNode(err);
      this.sink.broken(this, this.brokenBy);
    });
    real.resume();
  }

  /** The program read this many bytes: let more come. */
  credit(bytes: number): void {
    this.unreadBytes = Math.max(0, this.unreadBytes - bytes);
    if (this.real && this.real.isPaused() && this.unreadBytes < this.recvWindowBytes) this.real.resume();
  }

  /** Whether write() would take this many bytes (the page kept to its window). */
  canTake(bytes: number): boolean {
    return this.unackedWriteBytes + bytes <= MAX_UNACKED_WRITE_BYTES;
  }

  /**
   * Bytes from the page for sendall/send. Acknowledged (or failed) through sink.sent.
   * Returns false, taking nothing, when they would put more than MAX_UNACKED_WRITE_BYTES
   * unacknowledged on this socket: the page ignored its window (a protocol error).
   */
  write(payload: Uint8Array): boolean {
    if (!this.canTake(payload.length)) return false;
    this.unackedWriteBytes += payload.length;
    const ack = (err?: PyErrorInfo) => {
      this.unackedWriteBytes -= payload.length;
      this.sink.sent(this, payload.length, err);
    };
    if (this.state === 'closed') ack(errnoError('EBADF'));
    else if (this.state !== 'connected' || !this.real) ack(errnoError('EPIPE'));
    // The connection's error (a reset) is reported once, by the sink, to the first call that
    // meets it; after that Linux gives EPIPE to every send.
    else if (this.broken || this.real.destroyed) ack(errnoError('EPIPE'));
    else if (this.writeShut || this.real.writableEnded) ack(errnoError('EPIPE'));
    else this.real.write(payload, (err) => ack(err ? (this.broken ?? pyErrorFromNode(err)) : undefined));
    return true;
  }

  shutdown(how: number): PyErrorInfo | null {
    if (this.state === 'closed') return errnoError('EBADF');
    if (how < 0 || how > 2) return errnoError('EINVAL');
    if (this.state !== 'connected' || !this.real) return errnoError('ENOTCONN');
    if (how === 0 || how === 2) {
      if (!this.readShutFlag) {
        this.readShutFlag = true;
        // recv after SHUT_RD returns b'' at once, whatever is still on its way.
        if (!this.peerEnded) this.sink.eof(this);
      }
    }
    if ((how === 1 || how === 2) && !this.writeShutFlag) {
      this.writeShutFlag = true;
      this.real.end();
    }
    return null;
  }

  /** Calls wake when a connection is queued or the listener closes, until the returned
   * function is called. */
  onAcceptable(wake: () => void): Disposer {
    return this.acceptable.on(wake);
  }

  /** A connection was queued, or the listener closed: each waiter looks again (one of them
   * takes the connection; the others find the queue empty and wait on). */
  wakeAcceptors(): void {
    this.acceptable.emit();
  }

  /** close(): a listener stops and resets what was never accepted; a connection sends FIN,
   * or RST when data it received is still unread (as Linux does). */
  close(): void {
    if (this.current === 'closed') return;
    this.current = 'closed';
    this.process.fds.delete(this.fd);
    this.process.device.sockets.delete(this);
    this.wakeAcceptors();
    if (this.server) {
      this.server.close();
      this.server = null;
      for (const queued of this.acceptQueue.splice(0)) queued.real.resetAndDestroy();
    }
    const real = this.real;
    if (real && !real.destroyed) {
      real.removeAllListeners('data');
      real.on('error', () => {}); // the program is gone; nothing is left to tell
      if (this.unreadBytes > 0 || real.readableLength > 0) real.resetAndDestroy();
      else if (real.writableEnded) real.destroy();
      else real.end(() => real.destroy());
    }
  }

  /** Bytes this server holds for the socket right now (queued to write, read and not yet sent on). */
  heldBytes(): number {
    return this.real ? this.real.writableLength + this.real.readableLength : 0;
  }

  /** netstat's state column, in the words of the worksheet's Windows netstat. */
  netstatState(): string | null {
    switch (this.state) {
      case 'listening':
        return 'LISTENING';
      case 'connecting':
        return 'SYN_SENT';
      case 'connected':
        if (this.writeShut && this.peerEnded) return 'LAST_ACK';
        if (this.writeShut) return 'FIN_WAIT_2';
        if (this.peerEnded) return 'CLOSE_WAIT';
        return 'ESTABLISHED';
      default:
        return null;
    }
  }
}
