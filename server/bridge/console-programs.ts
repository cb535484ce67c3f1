// The programs one console runs and their sockets: its shell, the programs started from it,
// each Python program's synchronous channel (sync-channel.ts), and the sockets they open. The
// page's calls are carried out here (the process calls here, the socket calls by
// socket-calls.ts and the lab network), the page's data frames are written to their sockets,
// and socket events go back to the page. When the console closes, everything here ends.

import type { Call, PyErrorInfo, ServerMessage } from '../../shared/bridge-protocol.ts';
import { encodeDataFrame, MAX_DATA_FRAME_PAYLOAD_BYTES, type PageFrame } from '../../shared/data-frame.ts';
import { isAnswerProgram, isKnownProgram, PYTHON_PROGRAM_NAME } from '../../shared/program-catalog.ts';
import { errnoError } from '../../shared/socket-errors.ts';
import type { Device, Process, ProcessOwner } from '../lab/lab-registry.ts';
import { MAX_UNACKED_WRITE_BYTES, type LabSocket, type SocketSink } from '../net/lab-socket.ts';
import type { LabNetwork, Outcome } from '../net/lab-network.ts';
import { AckBatcher } from './ack-batcher.ts';
import { runSocketCall, type SocketTable } from './socket-calls.ts';
import { SyncChannel, type ChannelOwner } from './sync-channel.ts';

export interface ProgramsContext {
  network: LabNetwork;
  /** Python programs' synchronous channels, by token (server/bridge/sync-plugin.ts serves them). */
  channels: Map<string, SyncChannel>;
  /** Whether the answers are revealed to this lab (its class's reveal switch). */
  revealAnswers(labCode: string): boolean;
}

/** What the programs need of their console: its page, and its limits for the channels' requests. */
export interface ConsoleLine extends ChannelOwner {
  /** Sends a message to the page (nothing once the console has closed). */
  send(message: ServerMessage): void;
  /** Sends a binary frame to the page (nothing once the console has closed). */
  sendBinary(data: Uint8Array): void;
}

export class ConsolePrograms implements SocketSink, ProcessOwner {
  readonly shell: Process;
  private readonly processes = new Map<number, Process>();
  private readonly sockets = new Map<number, LabSocket>();
  /** The synchronous channels of this console's Python programs, by PID. */
  private readonly channels = new Map<number, SyncChannel>();
  private readonly acks = new AckBatcher((sock, bytes, err) =>
    this.line.send(err ? { t: 'sent', sock, bytes, err } : { t: 'sent', sock, bytes }),
  );

  constructor(
    private readonly ctx: ProgramsContext,
    private readonly device: Device,
    /** The console's number on its device (its shell and every program started from it). */
    readonly consoleNo: number,
    private readonly line: ConsoleLine,
  ) {
    this.shell = device.spawn('shell', consoleNo, this);
    this.processes.set(this.shell.pid, this.shell);
  }

  /** The page read `bytes` of a socket: it may receive that much more. */
  credit(sock: number, bytes: number): void {
    this.sockets.get(sock)?.credit(bytes);
  }

  /** A data frame from the page: written to its socket; a string is why it was refused (a bad message). */
  write(frame: PageFrame): string | null {
    const sock = this.sockets.get(frame.sock);
    if (!sock) {
      this.line.send({ t: 'sent', sock: frame.sock, bytes: frame.payload.length, err: errnoError('EBADF') });
      return null;
    }
    if (frame.credit > 0) sock.credit(frame.credit);
    if (frame.payload.length === 0) {
      this.acks.received(sock.id, 0, frame.ackNow);
      return null;
    }
    if (!sock.canTake(frame.payload.length)) {
      return `socket ${frame.sock}: more than ${MAX_UNACKED_WRITE_BYTES} bytes sent without waiting for 'sent'; these ${frame.payload.length} were dropped`;
    }
    this.acks.received(sock.id, frame.payload.length, frame.ackNow);
    sock.write(frame.payload);
    return null;
  }

  async call(call: Call): Promise<Outcome<unknown>> {
    const device = this.device;
    const network = this.ctx.network;
    switch (call.op) {
      case 'spawn': {
        if (!isKnownProgram(call.name) || (isAnswerProgram(call.name) && !this.ctx.revealAnswers(device.lab.code))) {
          return { err: { type: 'run', msg: `${call.name}: no such program` } };
        }
        const process = device.spawn(call.name, this.consoleNo, this);
        this.processes.set(process.pid, process);
        if (call.name !== PYTHON_PROGRAM_NAME) return { ok: { pid: process.pid } };
        const channel = new SyncChannel(process, network, this.line);
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
        if (call.pid !== this.shell.pid) this.endProcess(call.pid);
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
        return runSocketCall(network, call, this.socketTable);
    }
  }

  /** The console has closed: every program ends and its sockets close. */
  endAll(): void {
    for (const pid of [...this.processes.keys()]) this.endProcess(pid);
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
    this.line.send({ t: 'kill', pid });
  }

  // ---- SocketSink ----
  data(sock: LabSocket, chunk: Uint8Array): void {
    for (let at = 0; at < chunk.length; at += MAX_DATA_FRAME_PAYLOAD_BYTES) {
      this.line.sendBinary(encodeDataFrame(sock.id, chunk.subarray(at, at + MAX_DATA_FRAME_PAYLOAD_BYTES)));
    }
  }

  eof(sock: LabSocket): void {
    this.line.send({ t: 'eof', sock: sock.id });
  }

  broken(sock: LabSocket, err: PyErrorInfo): void {
    this.line.send({ t: 'broken', sock: sock.id, err });
  }

  sent(sock: LabSocket, bytes: number, err?: PyErrorInfo): void {
    this.acks.written(sock.id, bytes, err);
  }

  /** A console's built-ins connect blocking only (their page has no readiness to wait on). */
  connectSettled(): void {}
}
