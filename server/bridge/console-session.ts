// One console's WebSocket conversation: every message is admitted against the console's limits
// (messages per second, its Python programs' channel requests included; bad messages, past
// which the console is disconnected, 1008), validated (shared/bridge-protocol.ts) and handed
// on: a hello to the join handshake (join-handshake.ts), calls and data frames to the
// console's programs (console-programs.ts). When the WebSocket closes (a tab closed), the
// programs end and their sockets close. The socket limits are the lab network's, reported to
// the page by the programs.

import {
  CLOSE_CODES,
  parseClientMessage,
  PROTOCOL_VERSION,
  ProtocolError,
  type Call,
  type ClientMessage,
  type ServerMessage,
} from '../../shared/bridge-protocol.ts';
import { decodePageFrame } from '../../shared/data-frame.ts';
import type { Device } from '../lab/lab-registry.ts';
import type { Limits } from '../limits.ts';
import { limitNotice } from '../limits/limit-refusals.ts';
import { MessageGuard } from '../limits/message-guard.ts';
import type { ChannelOwner } from './sync-channel.ts';
import type { HubSession } from './session-hub.ts';
import { joinLab, prepareSharedJoin, type Hello, type JoinContext } from './join-handshake.ts';
import { ConsolePrograms, type ConsoleLine, type ProgramsContext } from './console-programs.ts';

export interface SessionTransport {
  sendText(text: string): void;
  sendBinary(data: Uint8Array): void;
  close(code: number, reason: string): void;
}

export interface SessionContext extends JoinContext, ProgramsContext {
  /** The lab's limits (--limit). */
  limits: Limits;
}

const BAD_MESSAGES_REASON = 'too many bad messages';

export class ConsoleSession implements HubSession, ChannelOwner, ConsoleLine {
  private device: Device | null = null;
  /** Once the console has joined. */
  private programs: ConsolePrograms | null = null;
  private closed = false;
  /** A hello is being read from the shared database (--database). */
  private joining = false;
  private readonly guard: MessageGuard;
  /** Past the bad-message limit: nothing more is read, and the console is about to close. */
  private refusing = false;

  constructor(
    private readonly ctx: SessionContext,
    private readonly transport: SessionTransport,
    /** The browser's User-Agent header, shown on the teacher's page. */
    private readonly userAgent = '',
    /** The page's address, for the join limiter. */
    private readonly remoteAddress = '',
    /** The lab its WebSocket's URL names (/ws?lab=CODE), which its hello must name too; null: none named. */
    private readonly urlLab: string | null = null,
  ) {
    this.guard = new MessageGuard(ctx.limits);
  }

  // ---- ConsoleLine (what the programs send the page) ----
  send(message: ServerMessage): void {
    if (!this.closed) this.transport.sendText(JSON.stringify(message));
  }

  sendBinary(data: Uint8Array): void {
    if (!this.closed) this.transport.sendBinary(data);
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
    const programs = this.programs;
    if (!programs) return this.protocolError('not-ready', "send 'hello' first");
    if (message.t === 'credit') return programs.credit(message.sock, message.bytes);
    const { id, t: _t, ...call } = message;
    programs.call(call as Call).then(
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
    const programs = this.programs;
    if (!programs) return this.protocolError('not-ready', "send 'hello' first");
    const frame = decodePageFrame(data);
    if (typeof frame === 'string') return this.protocolError('bad-frame', frame);
    const refused = programs.write(frame);
    if (refused !== null) this.protocolError('over-window', refused);
  }

  /** The WebSocket is gone: the console's programs end and their sockets close. */
  onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.programs?.endAll();
    if (this.device) {
      if (--this.device.consoles === 0) this.ctx.deviceOnline?.(this.device, false);
      // While a console is open the device is "online" (the heartbeat cuts dead ones); it was
      // last seen when its last console closed.
      this.device.lastSeen = Date.now();
    }
  }

  private hello(m: Hello): void {
    if (this.device || this.joining) return this.protocolError('out-of-order', "'hello' was already sent");
    if (!this.ctx.registry.isShared) return this.join(m);
    // The lab and the device may first have to be read or written in the shared database.
    this.joining = true;
    prepareSharedJoin(this.ctx, m, this.remoteAddress, this.urlLab).then(
      () => {
        this.joining = false;
        if (!this.closed) this.join(m);
      },
      () => {
        this.joining = false;
        if (!this.closed) this.transport.close(CLOSE_CODES.TRY_AGAIN_LATER, 'the database could not be reached');
      },
    );
  }

  private join(m: Hello): void {
    const joined = joinLab(this.ctx, m, this.remoteAddress, this.urlLab);
    if ('refused' in joined) {
      const { code, msg, bad, close } = joined.refused;
      if (bad) this.protocolError(code, msg);
      else this.send({ t: 'error', code, msg });
      if (close) this.transport.close(close.code, close.reason);
      return;
    }
    const device = joined.device;
    this.device = device;
    device.lastSeen = Date.now();
    if (device.consoles++ === 0) this.ctx.deviceOnline?.(device, true);
    if (this.userAgent) device.browser = this.userAgent;
    this.programs = new ConsolePrograms(this.ctx, device, device.newConsoleNumber(), this);
    this.send({
      t: 'welcome',
      v: PROTOCOL_VERSION,
      lab: device.lab.code,
      device: { id: device.id, address: device.address },
      pid: this.programs.shell.pid,
      console: this.programs.consoleNo,
      revealAnswers: this.ctx.revealAnswers(device.lab.code),
    });
  }
}
