// The server's end of a Python program's synchronous channel (shared/sync-protocol.ts).
// The program's sockets are ordinary LabSockets, with this channel as their sink: what they
// receive waits here until the worker asks for it (bounded by the socket's receive window),
// and every request that would block waits here, at most SYNC_HOLD_MS at a time.
// Requests count against the console's limits like its WebSocket's messages (ChannelOwner).

import { randomBytes } from 'node:crypto';
import type { PyErrorInfo } from '../../shared/bridge-protocol.ts';
import { ByteQueue } from '../../shared/byte-queue.ts';
import { ProtocolError } from '../../shared/json-fields.ts';
import { errnoError, TIMED_OUT } from '../../shared/socket-errors.ts';
import { SYNC_HOLD_MS, type SyncRequest, type SyncResponse } from '../../shared/sync-protocol.ts';
import type { Process } from '../lab/lab-registry.ts';
import { MAX_UNACKED_WRITE_BYTES, type LabSocket, type SocketSink } from '../net/lab-socket.ts';
import type { LabNetwork, Outcome } from '../net/lab-network.ts';
import { runSocketCall, type SocketTable } from './socket-calls.ts';
import { socketReadiness } from '../../shared/socket-readiness.ts';

/** accept()'s "nothing to take": another thread's accept took the connection first. */
const EAGAIN_ERRNO = errnoError('EAGAIN').errno;

interface Inbox {
  received: ByteQueue;
  eof: boolean;
  broken: PyErrorInfo | null;
  written: number;
  acked: number;
  sendError: PyErrorInfo | null;
}

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
  private readonly inboxes = new Map<number, Inbox>();
  private readonly stdin: (string | null)[] = [];
  private readonly waiters = new Set<() => void>();
  private interruptPending = false;
  /** Whether the request being started is a background thread's (read by waitUntil as it starts). */
  private background = false;
  private closed = false;
  private readonly closeListeners = new Set<() => void>();

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
      this.inboxes.delete(id);
    },
  };

  private track(sock: LabSocket): void {
    this.sockets.set(sock.id, sock);
    this.inboxes.set(sock.id, { received: new ByteQueue(), eof: false, broken: null, written: 0, acked: 0, sendError: null });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
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
        function done() {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        }
        const waiters = this.waiters;
        waiters.add(done);
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
      case 'flush':
        return this.send(request.sock, request.op === 'send' ? payload : null);
      case 'signal':
        return { message: { ok: null } }; // a pending Ctrl-C was answered above
      case 'stdin': {
        const waited = SyncChannel.answerWait(await this.waitUntil(() => this.stdin.length > 0, null));
        return waited ?? { message: { ok: this.stdin.shift() } };
      }
      case 'select':
        return this.select(request.read, request.write, request.timeoutMs);
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
    const inbox = this.inboxes.get(id);
    if (!sock || !inbox || !sock.isOpen) return { message: { err: errnoError('EBADF') } };
    if (sock.state === 'connecting') {
      // Linux: EAGAIN for a non-blocking recv; a blocking one waits for the connection.
      if (timeoutMs === 0) return { message: { err: errnoError('EAGAIN') } };
      const waited = SyncChannel.answerWait(await this.waitUntil(() => sock.state !== 'connecting', timeoutMs));
      if (waited) return waited;
    }
    if (sock.state !== 'connected') return { message: { err: sock.takeSoError() ?? errnoError('ENOTCONN') } };
    if (inbox.received.length === 0 && !inbox.eof && !inbox.broken) {
      if (timeoutMs === 0) return { message: { err: errnoError('EAGAIN') } };
      const result = await this.waitUntil(() => inbox.received.length > 0 || inbox.eof || inbox.broken !== null, timeoutMs);
      const waited = SyncChannel.answerWait(result);
      if (waited) return waited;
    }
    if (inbox.received.length > 0) {
      const data = inbox.received.take(max);
      sock.credit(data.length);
      return { message: { ok: 'data' }, payload: data };
    }
    if (inbox.broken) return { message: { err: this.takeBroken(inbox) } };
    return { message: { ok: 'eof' } };
  }

  /** Linux reports a connection's error (a reset) once, to whichever call comes first;
   * after that the socket reads as ended and sends fail with EPIPE. */
  private takeBroken(inbox: Inbox): PyErrorInfo {
    const err = inbox.broken!;
    inbox.broken = null;
    inbox.eof = true;
    return err;
  }

  private async send(id: number, payload: Uint8Array | null): Promise<SyncAnswer> {
    const sock = this.sockets.get(id);
    const inbox = this.inboxes.get(id);
    if (!sock || !inbox) return { message: { err: errnoError('EBADF') } };
    if (sock.state === 'connecting') {
      // A send waits for the connection (Linux's blocking send does; the worker sends only
      // what select or a blocking call allows).
      const waited = SyncChannel.answerWait(await this.waitUntil(() => sock.state !== 'connecting', null));
      if (waited) return waited;
    }
    if (sock.soError && sock.state !== 'connected') return { message: { err: sock.takeSoError()! } };
    if (inbox.broken) return { message: { err: this.takeBroken(inbox) } };
    if (inbox.sendError) return { message: { err: inbox.sendError } };
    if (payload && payload.length > 0) {
      // A worker waits for each send's answer; several at once past the window is not one.
      if (!sock.write(payload)) {
        throw new ProtocolError('over-window', `more than ${MAX_UNACKED_WRITE_BYTES} bytes unacknowledged on socket ${id}`);
      }
      inbox.written += payload.length;
    }
    const result = await this.waitUntil(
      () => inbox.acked >= inbox.written || inbox.sendError !== null || inbox.broken !== null,
      null,
    );
    const waited = SyncChannel.answerWait(result);
    if (waited) return waited;
    if (inbox.acked >= inbox.written && !inbox.sendError) return { message: { ok: null } };
    return { message: { err: inbox.sendError ?? this.takeBroken(inbox) } };
  }

  private async select(read: number[], write: number[], timeoutMs: number | null): Promise<SyncAnswer> {
    for (const id of [...read, ...write]) {
      if (!this.sockets.get(id)?.isOpen) return { message: { err: errnoError('EBADF') } };
    }
    const ready = (id: number) => {
      const sock = this.sockets.get(id)!;
      const inbox = this.inboxes.get(id)!;
      return socketReadiness({
        state: sock.state,
        acceptQueued: sock.acceptQueue.length,
        received: inbox.received.length,
        ended: inbox.eof || sock.readShut,
        failed: inbox.broken !== null || sock.soError !== null,
        sendRoom: inbox.acked >= inbox.written || inbox.sendError !== null,
      });
    };
    const readable = () => read.filter((id) => ready(id).readable);
    const writable = () => write.filter((id) => ready(id).writable);
    const stops = read.map((id) => this.sockets.get(id)!).filter((s) => s.state === 'listening').map((s) => s.onAcceptable(() => this.wake()));
    const result = await this.waitUntil(() => readable().length > 0 || writable().length > 0, timeoutMs);
    for (const stop of stops) stop();
    if (result === 'interrupted' || result === 'held') return SyncChannel.answerWait(result)!;
    return { message: { ok: { read: readable(), write: writable() } } };
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
    for (const listener of [...this.closeListeners]) listener();
    this.closeListeners.clear();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Calls listener when the program ends (the channel's WebSocket closes then); returns how to stop listening. */
  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  // ---- SocketSink ----
  data(sock: LabSocket, chunk: Uint8Array): void {
    const inbox = this.inboxes.get(sock.id);
    if (!inbox) return;
    inbox.received.push(new Uint8Array(chunk));
    this.wake();
  }

  eof(sock: LabSocket): void {
    const inbox = this.inboxes.get(sock.id);
    if (inbox) inbox.eof = true;
    this.wake();
  }

  broken(sock: LabSocket, err: PyErrorInfo): void {
    const inbox = this.inboxes.get(sock.id);
    if (inbox) inbox.broken = err;
    this.wake();
  }

  connectSettled(): void {
    this.wake();
  }

  sent(sock: LabSocket, bytes: number, err?: PyErrorInfo): void {
    const inbox = this.inboxes.get(sock.id);
    if (inbox) {
      inbox.acked += bytes;
      if (err) inbox.sendError ??= err;
    }
    this.wake();
  }
}
