// PySocket over the bridge. The server decides every error (its LabSocket is the one socket
// implementation); this side only buffers what the server pushed, so a loop of small recv
// calls costs no round trip, and keeps sends within the window the server acknowledges.
// What recv and send answer from what was pushed (bytes, end of stream, a reset reported
// once, errors met sending) is decided by shared/connected-socket-state.ts, as for Python's
// sockets on the server.

import type { PyErrorInfo, SockAddr } from '../../../shared/bridge-protocol.ts';
import { ConnectedSocketState, type SocketLink } from '../../../shared/connected-socket-state.ts';
import { MAX_DATA_FRAME_PAYLOAD_BYTES, PAGE_SEND_WINDOW_BYTES } from '../../../shared/data-frame.ts';
import { PyException } from '../../../shared/py-exception.ts';
import { errnoError, TIMED_OUT } from '../../../shared/socket-errors.ts';
import type { SocketEvents } from '../bridge/bridge-session.ts';
import type { ProgramProcess } from '../programs/program-process.ts';
import type { PySocket } from './py-socket.ts';
import { acceptedLocal } from '../../../shared/wire-log.ts';
import { IPPROTO_TCP, TCP_NODELAY, wireTapOf, type WireTap } from './wire-tap.ts';


type State = 'open' | 'connected' | 'closed';

/** A macrotask break, so a program spinning on recv() == b'' leaves the page responsive. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export class BridgeSocket implements PySocket, SocketEvents {
  private state: State = 'open';
  /** What the server pushed, and the rules of recv and send on it. */
  private readonly stream = new ConnectedSocketState();
  private readable: (() => void) | null = null;
  /** shutdown(SHUT_WR) was called: the server refuses further sends (EPIPE), so a send waits
   * for that answer. */
  private writeShut = false;
  private ackWaiters: (() => void)[] = [];
  private timeoutSeconds: number | null = null;
  /** Where bind() put it, for the local address of what accept() returns (the wire view). */
  private boundAddr: SockAddr | null = null;
  /** recv's b'' is shown once: a program may spin on it. */
  private endRecorded = false;

  constructor(
    private readonly process: ProgramProcess,
    private readonly sock: number,
    readonly fd: number,
    private readonly onClosed: () => void,
  ) {
    process.session.registerSocket(sock, this);
  }

  /** Bytes handed to the server by sendall and not yet acknowledged as written to the real socket. */
  get bytesInFlight(): number {
    return this.stream.inFlight;
  }

  /** Bytes the server pushed and the program has not read yet. */
  get bufferedBytes(): number {
    return this.stream.buffered;
  }

  private get link(): SocketLink {
    return this.state === 'open' ? 'unconnected' : this.state;
  }

  private get session() {
    return this.process.session;
  }

  private fail(info: PyErrorInfo): never {
    throw PyException.from(info);
  }

  private timeoutMs(): number | null {
    return this.timeoutSeconds === null ? null : Math.round(this.timeoutSeconds * 1000);
  }

  private callOn<T>(promise: Promise<T>): Promise<T> {
    return this.process.wait(promise);
  }

  /** The wire view of this socket's console (null outside a console). */
  private get tap(): WireTap | null {
    return wireTapOf(this.session);
  }

  /** This socket is connected (connect or accept returned): the wire view knows it and can
   * switch Nagle's algorithm on it. */
  private connectedAs(local: SockAddr | null, peer: SockAddr, direction: 'connect' | 'accept'): void {
    this.state = 'connected';
    const tap = this.tap;
    if (!tap) return;
    const setNoDelay = async (on: boolean) => {
      await this.session.call({ op: 'setsockopt', sock: this.sock, level: IPPROTO_TCP, name: TCP_NODELAY, value: on ? 1 : 0 });
    };
    tap.socket(this.sock, { local, peer, connected: true, setNoDelay });
    tap.record(this.sock, direction, { note: direction === 'connect' ? `to ${peer[0]}:${peer[1]}` : `from ${peer[0]}:${peer[1]}` });
  }

  // ---- events from the server ----
  data(chunk: Uint8Array): void {
    this.stream.arrived(chunk);
    this.wakeReader();
  }

  eof(): void {
    this.stream.ended();
    this.wakeReader();
  }

  broken(err: PyErrorInfo): void {
    this.stream.reset(err);
    this.wakeReader();
    this.wakeSenders();
  }

  sent(bytes: number, err?: PyErrorInfo): void {
    this.stream.acked(bytes, err);
    this.wakeSenders();
  }

  private wakeReader(): void {
    const wake = this.readable;
    this.readable = null;
    wake?.();
  }

  private wakeSenders(): void {
    const waiters = this.ackWaiters;
    this.ackWaiters = [];
    for (const wake of waiters) wake();
  }

  // ---- PySocket ----
  async bind(addr: SockAddr): Promise<void> {
    await this.callOn(this.session.call({ op: 'bind', sock: this.sock, host: addr[0], port: addr[1] }));
    this.boundAddr = addr;
    this.tap?.socket(this.sock, { local: addr });
  }

  async listen(backlog = 128): Promise<void> {
    await this.callOn(this.session.call({ op: 'listen', sock: this.sock, backlog }));
  }

  async accept(): Promise<[PySocket, SockAddr]> {
    const result = await this.callOn(this.session.call({ op: 'accept', sock: this.sock, timeoutMs: this.timeoutMs() }));
    const conn = this.process.adopt(result.sock, result.fd);
    conn.connectedAs(acceptedLocal(this.boundAddr, result.addr, this.session.welcome.device.address), result.addr, 'accept');
    return [conn, result.addr];
  }

  async connect(addr: SockAddr): Promise<void> {
    const { local } = await this.callOn(
      this.session.call({ op: 'connect', sock: this.sock, host: addr[0], port: addr[1], timeoutMs: this.timeoutMs() }),
    );
    this.connectedAs(local, addr, 'connect');
  }

  async recv(bufsize: number): Promise<Uint8Array> {
    if (bufsize < 0) throw new PyException('ValueError', 'negative buffersize in recv');
    const nonBlocking = this.timeoutSeconds === 0;
    let step = this.stream.recv(this.link, bufsize, nonBlocking);
    if ('wait' in step) {
      await this.callOn(this.waitReadable());
      step = this.stream.recv(this.link, bufsize, nonBlocking);
    }
    if ('wait' in step) this.fail(errnoError('EBADF')); // woken with nothing: only close() does that
    if ('err' in step) this.fail(step.err);
    if ('data' in step) return this.recorded('recv', this.credited(step.data));
    // At end of stream CPython returns b'' at once, and a program may spin on it: Ctrl-C must still work.
    await this.callOn(yieldToEventLoop());
    if (!this.endRecorded) {
      this.endRecorded = true;
      this.recorded('recv', new Uint8Array(0));
    }
    return new Uint8Array(0);
  }

  /** What a call returned, on the wire view's line, then to the program. */
  private recorded(direction: 'send' | 'recv', bytes: Uint8Array): Uint8Array {
    this.tap?.record(this.sock, direction, { bytes });
    return bytes;
  }

  private waitReadable(): Promise<void> {
    const ms = this.timeoutMs();
    return new Promise<void>((resolve, reject) => {
      const timer = ms === null ? null : setTimeout(() => reject(PyException.from(TIMED_OUT)), ms);
      this.readable = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Bytes the program read: the server may send as many more. */
  private credited(out: Uint8Array): Uint8Array {
    if (out.length > 0) this.session.credit(this.sock, out.length);
    return out;
  }

  /** What a send meets before its bytes go: raised here (a closed socket, the connection's
   * error once, an error met sending earlier bytes). */
  private checkSend(): void {
    const found = this.stream.sendCheck(this.link);
    if (found && 'err' in found) this.fail(found.err);
  }

  /**
   * Returns once every byte is inside the send window, as Linux's returns once its bytes are
   * in the kernel's send buffer; an error the server meets writing them is raised by the next
   * send. A send the server will refuse (the socket is not connected, shut for writing, or
   * its connection failed) waits for its answer, so that error is this call's, as on Linux.
   */
  async sendall(data: Uint8Array): Promise<void> {
    this.checkSend();
    if (data.length === 0) return;
    const answered = this.state !== 'connected' || this.writeShut || this.stream.wasReset;
    for (let at = 0; at < data.length; at += MAX_DATA_FRAME_PAYLOAD_BYTES) {
      while (this.bytesInFlight >= PAGE_SEND_WINDOW_BYTES && !this.stream.errorPending && !this.stream.sendFailed) {
        await this.callOn(this.waitAck(this.timeoutMs()));
        if (this.detached) this.fail(errnoError('EBADF')); // the process ended meanwhile
      }
      this.checkSend();
      const chunk = data.subarray(at, at + MAX_DATA_FRAME_PAYLOAD_BYTES);
      this.stream.handed(chunk.length);
      this.session.sendData(this.sock, chunk, answered && at + chunk.length === data.length);
    }
    if (!answered) {
      this.recorded('send', data);
      return;
    }
    const target = this.stream.handedTotal;
    while (this.stream.ackedTotal < target && !this.stream.sendFailed && !this.stream.errorPending) {
      await this.callOn(this.waitAck(this.timeoutMs()));
      if (this.detached) this.fail(errnoError('EBADF')); // the process ended meanwhile
    }
    if (this.stream.ackedTotal >= target && !this.stream.sendFailed) {
      this.recorded('send', data);
      return;
    }
    this.fail(this.stream.sendOutcome()!);
  }

  /**
   * Waits until the server has written every byte sent so far. A program about to sleep waits
   * for this first, so its pause starts with its bytes on the wire (Program 3's two pieces,
   * 0.1 s apart), as on a machine where they leave within microseconds. Errors are left to
   * the next call.
   */
  async written(): Promise<void> {
    const stream = this.stream;
    if (this.bytesInFlight === 0 || this.detached || stream.errorPending || stream.sendFailed) return;
    const target = stream.handedTotal;
    this.session.sendData(this.sock, new Uint8Array(0), true);
    while (stream.ackedTotal < target && !this.detached && !stream.errorPending && !stream.sendFailed) await this.waitAck(null);
  }

  async send(data: Uint8Array): Promise<number> {
    if (this.timeoutSeconds === 0) {
      // Non-blocking: what fits in the window goes (sendall then does not wait), else EAGAIN.
      this.checkSend();
      const fits = this.stream.nonBlockingSendBytes(data.length, PAGE_SEND_WINDOW_BYTES);
      if (typeof fits !== 'number') this.fail(fits.err);
      await this.sendall(data.subarray(0, fits));
      return fits;
    }
    const n = Math.min(data.length, PAGE_SEND_WINDOW_BYTES);
    await this.sendall(data.subarray(0, n));
    return n;
  }

  private waitAck(ms: number | null): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = ms === null ? null : setTimeout(() => reject(PyException.from(TIMED_OUT)), ms);
      this.ackWaiters.push(() => {
        if (timer) clearTimeout(timer);
        resolve();
      });
    });
  }

  async shutdown(how: number): Promise<void> {
    await this.callOn(this.session.call({ op: 'shutdown', sock: this.sock, how }));
    if (how === 1 || how === 2) this.writeShut = true;
  }

  /** close() never waits on the network, like CPython's. Closing twice is harmless. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.detach();
    await this.session.call({ op: 'close', sock: this.sock }).catch(() => undefined);
  }

  /** Closed on this side: read through a getter, since sendall's awaits may close it. */
  private get detached(): boolean {
    return this.state === 'closed';
  }

  /** Forget the socket on this side (the process ended; the server closes it). */
  detach(): void {
    if (this.state !== 'closed') {
      this.tap?.record(this.sock, 'close');
      this.tap?.closed(this.sock);
    }
    this.state = 'closed';
    this.session.unregisterSocket(this.sock);
    this.wakeReader();
    this.wakeSenders();
    this.onClosed();
  }

  async getsockname(): Promise<SockAddr> {
    if (this.state === 'closed') this.fail(errnoError('EBADF'));
    return this.callOn(this.session.call({ op: 'getsockname', sock: this.sock }));
  }

  async getpeername(): Promise<SockAddr> {
    if (this.state === 'closed') this.fail(errnoError('EBADF'));
    return this.callOn(this.session.call({ op: 'getpeername', sock: this.sock }));
  }

  settimeout(seconds: number | null): void {
    if (seconds !== null && seconds < 0) throw new PyException('ValueError', 'Timeout value out of range');
    this.timeoutSeconds = seconds;
  }

  gettimeout(): number | null {
    return this.timeoutSeconds;
  }
}
