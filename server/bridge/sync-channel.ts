// The server's end of a Python program's synchronous channel (shared/sync-protocol.ts).
// The program's sockets are ordinary LabSockets, with this channel as their sink: what they
// receive waits here until the worker asks for it (bounded by the socket's receive window),
// and every request that would block waits here, at most SYNC_HOLD_MS at a time.
// Requests count against the console's limits like its WebSocket's messages (ChannelOwner).

import { randomBytes } from 'node:crypto';
import type { PyErrorInfo } from '../../shared/bridge-protocol.ts';
import { Emitter, type Disposer } from '../../shared/emitter.ts';
import { ConnectedSocketState } from '../../shared/connected-socket-state.ts';
import { PAGE_SEND_WINDOW_BYTES } from '../../shared/data-frame.ts';
import { ProtocolError } from '../../shared/json-fields.ts';
import { errnoError, TIMED_OUT } from '../../shared/socket-errors.ts';
import { SYNC_HOLD_MS, type SyncRequest, type SyncResponse } from '../../shared/sync-protocol.ts';
import type { Process } from '../lab/lab-registry.ts';
import { MAX_UNACKED_WRITE_BYTES, type LabSocket, type SocketSink } from '../net/lab-socket.ts';
import type { LabNetwork, Outcome } from '../net/lab-network.ts';
import { runSocketCall, type SocketTable } from './socket-calls.ts';
import { POLLERR, POLLHUP, socketReadiness, tcpPoll, type ReadinessFacts } from '../../shared/socket-readiness.ts';

/** accept()'s "nothing to take": another thread's accept took the connection first. */
const EAGAIN_ERRNO = errnoError('EAGAIN').errno;

export interface SyncAnswer {
  message: SyncResponse;
  payload?: Uint8Array;
}

type WaitResult = 'ready' | 'held' | 'timed out' | 'interrupted';

/** The console a Python program runs in: its message budget and its page. */
export interface ChannelOwner {
  /** A request arrived: null, or (the console is over its message rate) why it is refused. */
  admitMessage(): string | null;
  /** A request was refused as bad (malformed, over its window, too fast). */
  badMessage(): void;
  /** A lab limit refused one of the program's calls: tell its page. */
  limitReached(notice: string): void;
}

export class SyncChannel implements SocketSink {
  readonly token = randomBytes(18).toString('base64url');
  private readonly sockets = new Map<number, LabSocket>();
  /** Each socket's streams as its program sees them (bytes waiting here, its error, its sends). */
  private readonly streams = new Map<number, ConnectedSocketState>();
  private readonly stdin: (string | null)[] = [];
  private readonly wakeUps = new Emitter();
  private interruptPending = false;
  /** Whether the request being started is a background thread's (read by waitUntil as it starts). */
  private background = false;
  private closed = false;
  private readonly closes = new Emitter();

  constructor(
    readonly process: Process,
    private readonly network: LabNetwork,
    private readonly owner: ChannelOwner,
  ) {}

  /** A request arrived (before it is read): null, or why it is refused as too fast. */
  admitRequest(): string | null {
    return this.owner.admitMessage();
  }

  /** A request was refused (the plugin answered it with an error): it counts as bad. */
  refusedRequest(): void {
    this.owner.badMessage();
  }

  /** The answer to a socket call, telling the page when a lab limit refused it. */
  private answer(outcome: Outcome<unknown>): SyncResponse {
    if ('ok' in outcome) return { ok: outcome.ok };
    if (outcome.limit) this.owner.limitReached(outcome.limit);
    return { err: outcome.err };
  }

  private readonly table: SocketTable = {
    get: (id) => this.sockets.get(id),
    adopt: (sock) => this.track(sock),
    forget: (id) => {
      this.sockets.delete(id);
      this.streams.delete(id);
    },
  };

  private track(sock: LabSocket): void {
    this.sockets.set(sock.id, sock);
    this.streams.set(sock.id, new ConnectedSocketState());
  }

  private wake(): void {
    this.wakeUps.emit();
  }

  /** Waits until ready() holds, Ctrl-C, the program's timeout, or the hold time, whichever is first. */
  private async waitUntil(ready: () => boolean, timeoutMs: number | null): Promise<WaitResult> {
    const limit = Math.min(timeoutMs ?? Infinity, SYNC_HOLD_MS);
    const deadline = Date.now() + limit;
    // A background thread's request leaves Ctrl-C to the main thread's (set by handle()).
    const takesCtrlC = !this.background;
    for (;;) {
      if ((this.interruptPending && takesCtrlC) || this.closed) {
        this.interruptPending = false;
        return 'interrupted';
      }
      if (ready()) return 'ready';
      const left = deadline - Date.now();
      if (left <= 0) return timeoutMs !== null && timeoutMs <= SYNC_HOLD_MS ? 'timed out' : 'held';
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        const stopWaiting = this.wakeUps.on(done);
        function done() {
          clearTimeout(timer);
          stopWaiting();
          resolve();
        }
      });
    }
  }

  private static answerWait(result: WaitResult): SyncAnswer | null {
    if (result === 'interrupted') return { message: { interrupted: true } };
    if (result === 'held') return { message: { again: true } };
    if (result === 'timed out') return { message: { err: TIMED_OUT } };
    return null;
  }

  async handle(request: SyncRequest, payload: Uint8Array): Promise<SyncAnswer> {
    // Options never block, and the page itself sets one (the wire view's Nagle switch) on
    // this channel: such a request must not take the program's pending Ctrl-C.
    const optionCall = request.op === 'call' && (request.call.op === 'setsockopt' || request.call.op === 'getsockopt');
    // A program's thread other than main (bg) leaves Ctrl-C to main, as CPython raises
    // KeyboardInterrupt in the main thread; but a busy one's signal poll takes it (its Python
    // hands it to main).
    this.background = request.bg === true && request.op !== 'signal';
    if (this.interruptPending && !optionCall && !this.background) {
      this.interruptPending = false;
      return { message: { interrupted: true } };
    }
    switch (request.op) {
      case 'call':
        return { message: await this.call(request.call) };
      case 'recv':
        return this.recv(request.sock, request.max, request.timeoutMs);
      case 'send':
        return request.nonBlocking ? this.sendNow(request.sock, payload) : this.send(request.sock, payload);
      case 'flush':
        return this.send(request.sock, null);
      case 'signal':
        return { message: { ok: null } }; // a pending Ctrl-C was answered above
      case 'stdin': {
        const waited = SyncChannel.answerWait(await this.waitUntil(() => this.stdin.length > 0, null));
        return waited ?? { message: { ok: this.stdin.shift() } };
      }
      case 'select':
        return this.select(request.read, request.write, request.timeoutMs, request.watch);
    }
  }

  private async call(call: Extract<SyncRequest, { op: 'call' }>['call']): Promise<SyncResponse> {
    if (call.op === 'socket') {
      const opened = this.network.openSocket(this.process, this);
      if ('err' in opened) return this.answer(opened);
      this.track(opened.ok);
      return { ok: { sock: opened.ok.id, fd: opened.ok.fd } };
    }
    if (call.op === 'accept' && call.timeoutMs !== 0) {
      // Wait here (where Ctrl-C and the hold time apply), then take the connection at once.
      const sock = this.sockets.get(call.sock);
      // Another thread's accept may take the connection first: then this one waits again.
      const deadline = call.timeoutMs === null ? null : Date.now() + call.timeoutMs;
      for (;;) {
        if (sock && sock.state === 'listening') {
          const stopWaiting = sock.onAcceptable(() => this.wake());
          const left = deadline === null ? null : Math.max(0, deadline - Date.now());
          const result = await this.waitUntil(() => sock.acceptQueue.length > 0 || sock.state !== 'listening', left);
          stopWaiting();
          const waited = SyncChannel.answerWait(result);
          if (waited) return waited.message;
        }
        const accepted = await runSocketCall(this.network, { ...call, timeoutMs: 0 }, this.table);
        const takenByAnother = 'err' in accepted && accepted.err.errno === EAGAIN_ERRNO && sock?.state === 'listening';
        if (!takenByAnother) return this.answer(accepted);
      }
    }
    return this.answer(await runSocketCall(this.network, call, this.table));
  }

  private async recv(id: number, max: number, timeoutMs: number | null): Promise<SyncAnswer> {
    const sock = this.sockets.get(id);
    const stream = this.streams.get(id);
    if (!sock || !stream) return { message: { err: errnoError('EBADF') } };
    const nonBlocking = timeoutMs === 0;
    const step = () => stream.recv(sock.link, max, nonBlocking, () => sock.takeSoError());
    let now = step();
    if ('wait' in now) {
      // For the connection's outcome, then for something to read.
      const ready = () => sock.link !== 'connecting' && (sock.link !== 'connected' || stream.recvWouldReturn);
      const waited = SyncChannel.answerWait(await this.waitUntil(ready, timeoutMs));
      if (waited) return waited;
      now = step();
      if ('wait' in now) return { message: { again: true } };
    }
    if ('err' in now) return { message: { err: now.err } };
    if ('eof' in now) return { message: { ok: 'eof' } };
    sock.credit(now.data.length);
    return { message: { ok: 'data' }, payload: now.data };
  }

  /** A send's checks before its bytes go: null to go on, else the answer (an error, or a wait's). */
  private async sendChecked(sock: LabSocket, stream: ConnectedSocketState): Promise<SyncAnswer | null> {
    const check = () => stream.sendCheck(sock.link, () => sock.takeSoError());
    let found = check();
    if (found && 'wait' in found) {
      // A send waits for the connection (Linux's blocking send does; the worker sends only
      // what select or a blocking call allows).
      const waited = SyncChannel.answerWait(await this.waitUntil(() => sock.link !== 'connecting', null));
      if (waited) return waited;
      found = check();
      if (found && 'wait' in found) return { message: { again: true } };
    }
    return found ? { message: { err: found.err } } : null;
  }

  private async send(id: number, payload: Uint8Array | null): Promise<SyncAnswer> {
    const sock = this.sockets.get(id);
    const stream = this.streams.get(id);
    if (!sock || !stream) return { message: { err: errnoError('EBADF') } };
    const refused = await this.sendChecked(sock, stream);
    if (refused) return refused;
    if (payload && payload.length > 0) {
      // A worker waits for each send's answer; several at once past the window is not one.
      if (!sock.write(payload)) {
        throw new ProtocolError('over-window', `more than ${MAX_UNACKED_WRITE_BYTES} bytes unacknowledged on socket ${id}`);
      }
      stream.handed(payload.length);
    }
    const waited = SyncChannel.answerWait(await this.waitUntil(() => stream.sendSettled, null));
    if (waited) return waited;
    const err = stream.sendOutcome();
    return { message: err ? { err } : { ok: null } };
  }

  /**
   * A non-blocking send: what fits in the send window goes, answered with its count at once
   * (an error met writing it is the next call's, as on Linux); a full window is EAGAIN.
   */
  private async sendNow(id: number, payload: Uint8Array): Promise<SyncAnswer> {
    const sock = this.sockets.get(id);
    const stream = this.streams.get(id);
    if (!sock || !stream) return { message: { err: errnoError('EBADF') } };
    // A connect under way: Linux's non-blocking send raises EAGAIN (no waiting).
    if (sock.link === 'connecting') return { message: { err: errnoError('EAGAIN') } };
    const refused = await this.sendChecked(sock, stream);
    if (refused) return refused;
    const fits = stream.nonBlockingSendBytes(payload.length, PAGE_SEND_WINDOW_BYTES);
    if (typeof fits !== 'number') return { message: { err: fits.err } };
    if (fits > 0) {
      sock.write(payload.subarray(0, fits)); // within the window, so always taken
      stream.handed(fits);
    }
    // A socket not connected or shut for writing refuses at once (EPIPE): this call's error.
    const failed = stream.sendFailed ? stream.sendOutcome() : null;
    return { message: failed ? { err: failed } : { ok: fits } };
  }

  /** What tcp_poll looks at for one of the program's sockets. */
  private facts(id: number): ReadinessFacts {
    const sock = this.sockets.get(id)!;
    const stream = this.streams.get(id)!;
    return {
      state: sock.state,
      acceptQueued: sock.acceptQueue.length,
      received: stream.buffered,
      ended: stream.atEnd || sock.readShut || sock.connectFailedBefore,
      writeShut: sock.writeShut,
      reset: stream.wasReset,
      failed: stream.errorPending || sock.soError !== null,
      sendRoom: stream.allAcked || stream.sendFailed,
    };
  }

  /**
   * select.select (and poll): waits until a socket of read is readable, of write writable,
   * or (for poll) one of watch is hung up or failed, which poll reports even unasked. With
   * watch, the answer also has each socket's poll bits, as events: [[sock, bits], ...].
   */
  private async select(read: number[], write: number[], timeoutMs: number | null, watch?: number[]): Promise<SyncAnswer> {
    const watched = watch ?? [];
    for (const id of [...read, ...write, ...watched]) {
      if (!this.sockets.get(id)?.isOpen) return { message: { err: errnoError('EBADF') } };
    }
    const readable = () => read.filter((id) => socketReadiness(this.facts(id)).readable);
    const writable = () => write.filter((id) => socketReadiness(this.facts(id)).writable);
    const hungUp = () => watched.some((id) => (tcpPoll(this.facts(id)) & (POLLHUP | POLLERR)) !== 0);
    const stops = [...new Set([...read, ...watched])]
      .map((id) => this.sockets.get(id)!)
      .filter((s) => s.state === 'listening')
      .map((s) => s.onAcceptable(() => this.wake()));
    // A socket closed while the select waits (by another thread; or the select was given up,
    // an asyncio loop's woken select) ends the wait with EBADF, before its state is looked at.
    const gone = () => [...read, ...write, ...watched].some((id) => !this.sockets.get(id)?.isOpen || !this.streams.has(id));
    const result = await this.waitUntil(() => gone() || readable().length > 0 || writable().length > 0 || hungUp(), timeoutMs);
    for (const stop of stops) stop();
    if (gone()) return { message: { err: errnoError('EBADF') } };
    if (result === 'interrupted' || result === 'held') return SyncChannel.answerWait(result)!;
    const ready: { read: number[]; write: number[]; events?: [number, number][] } = { read: readable(), write: writable() };
    if (watch) {
      const all = [...new Set([...read, ...write, ...watched])];
      ready.events = all.map((id) => [id, tcpPoll(this.facts(id))]);
    }
    return { message: { ok: ready } };
  }

  // ---- from the console ----
  pushStdin(line: string | null): void {
    this.stdin.push(line);
    this.wake();
  }

  interrupt(): void {
    this.interruptPending = true;
    this.wake();
  }

  /** The program ended: every request still waiting is answered. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.wake();
    this.closes.emit();
    this.closes.clear();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Calls listener when the program ends (the channel's WebSocket closes then); returns how to stop listening. */
  onClose(listener: () => void): Disposer {
    return this.closes.on(listener);
  }

  // ---- SocketSink ----
  data(sock: LabSocket, chunk: Uint8Array): void {
    const stream = this.streams.get(sock.id);
    if (!stream) return;
    stream.arrived(new Uint8Array(chunk));
    this.wake();
  }

  eof(sock: LabSocket): void {
    this.streams.get(sock.id)?.ended();
    this.wake();
  }

  broken(sock: LabSocket, err: PyErrorInfo): void {
    this.streams.get(sock.id)?.reset(err);
    this.wake();
  }

  connectSettled(): void {
    this.wake();
  }

  sent(sock: LabSocket, bytes: number, err?: PyErrorInfo): void {
    this.streams.get(sock.id)?.acked(bytes, err);
    this.wake();
  }
}
