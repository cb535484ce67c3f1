// One console's WebSocket: its shell process, the programs it runs and their sockets.
// Every message is validated (shared/bridge-protocol.ts) before anything happens; calls are
// carried out by the lab network; socket events flow back as protocol messages. When the
// WebSocket closes (a tab closed), every process and socket of the console goes with it.
// The console's limits are kept here: messages per second (its Python programs' channel
// requests included), bad messages (past the limit the console is disconnected, 1008), and
// consoles per device; the socket limits are the lab network's, reported to the page here.

import {
  CLOSE_CODES,
  parseClientMessage,
  PROTOCOL_VERSION,
  ProtocolError,
  type Call,
  type ClientMessage,
  type PyErrorInfo,
  type ServerMessage,
} from '../../shared/bridge-protocol.ts';
import { decodePageFrame, encodeDataFrame, MAX_DATA_FRAME_PAYLOAD_BYTES } from '../../shared/data-frame.ts';
import { isAnswerProgram, isKnownProgram, PYTHON_PROGRAM_NAME } from '../../shared/program-catalog.ts';
import { errnoError } from '../../shared/socket-errors.ts';
import type { Device, LabRegistry, Process, ProcessOwner } from '../lab/lab-registry.ts';
import { MAX_UNACKED_WRITE_BYTES, type LabSocket, type SocketSink } from '../net/lab-socket.ts';
import type { LabNetwork, Outcome } from '../net/lab-network.ts';
import type { Limits } from '../limits.ts';
import { limitNotice } from '../limits/limit-refusals.ts';
import { MessageGuard } from '../limits/message-guard.ts';
import { AckBatcher } from './ack-batcher.ts';
import { runSocketCall, type SocketTable } from './socket-calls.ts';
import { SyncChannel, type ChannelOwner } from './sync-channel.ts';
import type { HubSession } from './session-hub.ts';
import { tooManyAttemptsMessage, type JoinLimiter } from '../lab/join-limiter.ts';

export interface SessionTransport {
  sendText(text: string): void;
  sendBinary(data: Uint8Array): void;
  close(code: number, reason: string): void;
}

export interface SessionContext {
  registry: LabRegistry;
  network: LabNetwork;
  /** Python programs' synchronous channels, by token (server/bridge/sync-plugin.ts serves them). */
  channels: Map<string, SyncChannel>;
  revealAnswers(): boolean;
  /** Wrong lab codes per address (shared with the HTTP API). */
  joinLimiter: JoinLimiter;
  /** The lab's limits (--limit). */
  limits: Limits;
}

/** The close reason when a device has as many consoles as it may (the error reply says more). */
const CONSOLES_FULL_REASON = 'this device has too many consoles open';
const BAD_MESSAGES_REASON = 'too many bad messages';

export class ConsoleSession implements SocketSink, ProcessOwner, HubSession, ChannelOwner {
  private device: Device | null = null;
  private shell: Process | null = null;
  private readonly processes = new Map<number, Process>();
  private readonly sockets = new Map<number, LabSocket>();
  /** The synchronous channels of this console's Python programs, by PID. */
  private readonly channels = new Map<number, SyncChannel>();
  private closed = false;
  private readonly guard: MessageGuard;
  /** Past the bad-message limit: nothing more is read, and the console is about to close. */
  private refusing = false;
  private readonly acks = new AckBatcher((sock, bytes, err) =>
    this.send(err ? { t: 'sent', sock, bytes, err } : { t: 'sent', sock, bytes }),
  );

  constructor(
    private readonly ctx: SessionContext,
    private readonly transport: SessionTransport,
    /** The browser's User-Agent header, shown on the teacher's page. */
    private readonly userAgent = '',
    /** The page's address, for the join limiter. */
    private readonly remoteAddress = '',
  ) {
    this.guard = new MessageGuard(ctx.limits);
  }

  private send(message: ServerMessage): void {
    if (!this.closed) this.transport.sendText(JSON.stringify(message));
  }

  // ---- HubSession ----
  get labCode(): string | null {
    return this.device?.lab.code ?? null;
  }

  notify(message: ServerMessage): void {
    this.send(message);
  }

  disconnect(code: number, reason: string): void {
    this.onClose();
    this.transport.close(code, reason);
  }

  /** A message the server cannot accept: an error reply, and one more bad message. */
  private protocolError(code: string, msg: string): void {
    this.send({ t: 'error', code, msg });
    this.badMessage();
  }

  /** A limit stopped something a program or the page asked for: tell the page why. */
  limitReached(notice: string): void {
    this.send({ t: 'error', code: 'limit', msg: notice });
  }

  // ---- ChannelOwner (and this console's own WebSocket) ----
  admitMessage(): string | null {
    return this.guard.admit() ? null : limitNotice('messagesPerSecond', this.ctx.limits.messagesPerSecond);
  }

  badMessage(): void {
    if (!this.guard.countBad() || this.refusing || this.closed) return;
    this.refusing = true;
    this.limitReached(limitNotice('badMessages', this.ctx.limits.badMessages));
    // Closed as a closed tab is, once the replies already settling (calls answered in the
    // same turn) have gone out.
    setImmediate(() => this.disconnect(CLOSE_CODES.POLICY, BAD_MESSAGES_REASON));
  }

  /** Whether to read a message at all; a message over the rate is answered 'too-fast'. */
  private admit(): boolean {
    if (this.closed || this.refusing) return false;
    const tooFast = this.admitMessage();
    if (tooFast === null) return true;
    this.protocolError('too-fast', tooFast);
    return false;
  }

  onText(text: string): void {
    if (!this.admit()) return;
    let message: ClientMessage;
    try {
      message = parseClientMessage(text);
    } catch (err) {
      if (err instanceof ProtocolError) return this.protocolError(err.code, err.message);
      throw err;
    }
    if (message.t === 'hello') return this.hello(message);
    if (!this.device) return this.protocolError('not-ready', "send 'hello' first");
    if (message.t === 'credit') {
      this.sockets.get(message.sock)?.credit(message.bytes);
      return;
    }
    const { id, t: _t, ...call } = message;
    this.call(call as Call).then(
      (outcome) => {
        if ('ok' in outcome) return this.send({ t: 'result', id, ok: outcome.ok });
        if (outcome.limit) this.limitReached(outcome.limit);
        this.send({ t: 'result', id, err: outcome.err });
      },
      (err: unknown) => this.send({ t: 'result', id, err: { type: 'OSError', msg: String(err) } }),
    );
  }

  onBinary(data: Uint8Array): void {
    if (!this.admit()) return;
    if (!this.device) return this.protocolError('not-ready', "send 'hello' first");
    const frame = decodePageFrame(data);
    if (typeof frame === 'string') return this.protocolError('bad-frame', frame);
    const sock = this.sockets.get(frame.sock);
    if (!sock) return this.send({ t: 'sent', sock: frame.sock, bytes: frame.payload.length, err: errnoError('EBADF') });
    if (frame.credit > 0) sock.credit(frame.credit);
    if (frame.payload.length === 0) return this.acks.received(sock.id, 0, frame.ackNow);
    if (!sock.canTake(frame.payload.length)) {
      return this.protocolError(
        'over-window',
        `socket ${frame.sock}: more than ${MAX_UNACKED_WRITE_BYTES} bytes sent without waiting for 'sent'; these ${frame.payload.length} were dropped`,
      );
    }
    this.acks.received(sock.id, frame.payload.length, frame.ackNow);
    sock.write(frame.payload);
  }

  /** The WebSocket is gone: the console's programs end and their sockets close. */
  onClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const pid of [...this.processes.keys()]) this.endProcess(pid);
    if (this.device) {
      this.device.consoles--;
      // While a console is open the device is "online" (the heartbeat cuts dead ones); it was
      // last seen when its last console closed.
      this.device.lastSeen = Date.now();
    }
  }

  private hello(m: Extract<ClientMessage, { t: 'hello' }>): void {
    if (this.device) return this.protocolError('out-of-order', "'hello' was already sent");
    if (m.v !== PROTOCOL_VERSION) {
      this.protocolError('version', `this server speaks protocol version ${PROTOCOL_VERSION}; reload the page`);
      return this.transport.close(CLOSE_CODES.VERSION, 'protocol version');
    }
    const limiter = this.ctx.joinLimiter;
    if (!limiter.allowed(this.remoteAddress)) {
      this.protocolError('too-many-attempts', tooManyAttemptsMessage(limiter.retryAfterSeconds(this.remoteAddress)));
      return this.transport.close(CLOSE_CODES.TOO_MANY_ATTEMPTS, 'too many wrong lab codes');
    }
    const lab = this.ctx.registry.get(m.lab);
    if (!lab) {
      limiter.wrong(this.remoteAddress);
      this.protocolError('unknown-lab', `there is no lab with the code ${m.lab}`);
      return this.transport.close(CLOSE_CODES.UNKNOWN_LAB, 'unknown lab');
    }
    if (!/^[A-Za-z0-9_-]{8,64}$/.test(m.device)) return this.protocolError('bad-field', 'device key must be 8-64 letters or digits');
    const device = lab.deviceFor(m.device);
    if (!device) {
      this.protocolError('lab-full', 'this lab has no room for another device');
      return this.transport.close(CLOSE_CODES.FULL, 'lab full');
    }
    if (device.consoles >= this.ctx.limits.consolesPerDevice) {
      this.limitReached(limitNotice('consolesPerDevice', this.ctx.limits.consolesPerDevice));
      return this.transport.close(CLOSE_CODES.FULL, CONSOLES_FULL_REASON);
    }
    this.device = device;
    device.lastSeen = Date.now();
    device.consoles++;
    if (this.userAgent) device.browser = this.userAgent;
    const consoleNo = device.newConsoleNumber();
    this.shell = device.spawn('shell', consoleNo, this);
    this.processes.set(this.shell.pid, this.shell);
    this.send({
      t: 'welcome',
      v: PROTOCOL_VERSION,
      lab: lab.code,
      device: { id: device.id, address: device.address },
      pid: this.shell.pid,
      console: consoleNo,
      revealAnswers: this.ctx.revealAnswers(),
    });
  }

  private async call(call: Call): Promise<Outcome<unknown>> {
    const device = this.device!;
    const network = this.ctx.network;
    switch (call.op) {
      case 'spawn': {
        if (!isKnownProgram(call.name) || (isAnswerProgram(call.name) && !this.ctx.revealAnswers())) {
          return { err: { type: 'run', msg: `${call.name}: no such program` } };
        }
        const process = device.spawn(call.name, this.shell!.console, this);
        this.processes.set(process.pid, process);
        if (call.name !== PYTHON_PROGRAM_NAME) return { ok: { pid: process.pid } };
        const channel = new SyncChannel(process, this.ctx.network, this);
        this.channels.set(process.pid, channel);
        this.ctx.channels.set(channel.token, channel);
        return { ok: { pid: process.pid, channel: channel.token } };
      }
      case 'stdin':
      case 'interrupt': {
        const channel = this.channels.get(call.pid);
        if (!channel) return { err: errnoError('ESRCH') };
        if (call.op === 'stdin') channel.pushStdin(call.line);
        else channel.interrupt();
        return { ok: null };
      }
      case 'exit':
        if (call.pid !== this.shell!.pid) this.endProcess(call.pid);
        return { ok: null };
      case 'socket': {
        const process = this.processes.get(call.pid);
        if (!process) return { err: errnoError('ESRCH') };
        const opened = network.openSocket(process, this);
        if ('err' in opened) return opened;
        const sock = opened.ok;
        this.sockets.set(sock.id, sock);
        return { ok: { sock: sock.id, fd: sock.fd } };
      }
      case 'netstat':
        return { ok: network.netstat(device.sockets) };
      case 'ps':
        return {
          ok: [...device.processes.values()].map((p) => ({ pid: p.pid, console: p.console, name: p.name })),
        };
      case 'kill': {
        const target = device.processes.get(call.pid);
        if (!target) return { err: errnoError('ESRCH') };
        // A shell ignores SIGTERM, as an interactive bash does.
        if (target.name !== 'shell') {
          target.owner.killed(target.pid);
        }
        return { ok: null };
      }
      case 'ipconfig':
        return { ok: { address: device.address, lab: device.lab.code, device: device.id } };
      default:
        return runSocketCall(this.ctx.network, call, this.socketTable);
    }
  }

  /** The sockets of this console's programs, for runSocketCall. */
  private readonly socketTable: SocketTable = {
    get: (id) => this.sockets.get(id),
    adopt: (sock) => this.sockets.set(sock.id, sock),
    forget: (id) => {
      this.sockets.delete(id);
      this.acks.forget(id);
    },
  };

  private endProcess(pid: number): void {
    const process = this.processes.get(pid);
    if (!process) return;
    for (const sock of [...process.fds.values()]) {
      sock.close();
      this.socketTable.forget(sock.id);
    }
    this.processes.delete(pid);
    process.device.processes.delete(pid);
    const channel = this.channels.get(pid);
    if (channel) {
      channel.close();
      this.channels.delete(pid);
      this.ctx.channels.delete(channel.token);
    }
  }

  // ---- ProcessOwner ----
  killed(pid: number): void {
    this.endProcess(pid);
    this.send({ t: 'kill', pid });
  }

  // ---- SocketSink ----
  data(sock: LabSocket, chunk: Uint8Array): void {
    if (this.closed) return;
    for (let at = 0; at < chunk.length; at += MAX_DATA_FRAME_PAYLOAD_BYTES) {
      this.transport.sendBinary(encodeDataFrame(sock.id, chunk.subarray(at, at + MAX_DATA_FRAME_PAYLOAD_BYTES)));
    }
  }

  eof(sock: LabSocket): void {
    this.send({ t: 'eof', sock: sock.id });
  }

  broken(sock: LabSocket, err: PyErrorInfo): void {
    this.send({ t: 'broken', sock: sock.id, err });
  }

  sent(sock: LabSocket, bytes: number, err?: PyErrorInfo): void {
    this.acks.written(sock.id, bytes, err);
  }

  /** A console's built-ins connect blocking only (their page has no readiness to wait on). */
  connectSettled(): void {}
}
