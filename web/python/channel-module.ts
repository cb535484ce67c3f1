// The `socketlab_channel` module that Python's labchannel imports: the worker's SyncTransport
// with plain arguments (Python passes ints, None, JSON text and Uint8Arrays) and outcomes
// Python reads without conversion: {kind, json, payload}. It exists from the moment Pyodide
// loads (our modules are installed then); the program's transport is attached when it runs.

import type { SocketCall } from '../../shared/bridge-protocol.ts';
import { SEND_CHUNK_BYTES, type SyncOutcome, type SyncTransport } from './sync-transport.ts';
import type { WireRecorder } from './wire-recorder.ts';

/** One outcome as labchannel._value reads it. */
export interface PythonOutcome {
  kind: SyncOutcome['kind'];
  /** ok: the value; err: the {type, errno, msg}; failed: the reason; else null. */
  json: string;
  payload?: Uint8Array;
}

function forPython(outcome: SyncOutcome): PythonOutcome {
  switch (outcome.kind) {
    case 'ok':
      return { kind: 'ok', json: JSON.stringify(outcome.value ?? null), payload: outcome.payload };
    case 'err':
      return { kind: 'err', json: JSON.stringify(outcome.error) };
    case 'failed':
      return { kind: 'failed', json: outcome.message };
    default:
      return { kind: outcome.kind, json: 'null' };
  }
}

/** A timeout as Python passes it: None arrives as undefined. */
function ms(timeout: number | null | undefined): number | null {
  return timeout ?? null;
}

export class ChannelModule {
  private transport: SyncTransport | null = null;
  private wire: WireRecorder | null = null;
  readonly sendChunkBytes = SEND_CHUNK_BYTES;

  constructor(
    /** The next typed line: tells the page a line is wanted, then asks the server. */
    private readonly readTypedLine: (transport: SyncTransport) => SyncOutcome,
  ) {}

  attach(transport: SyncTransport, wire: WireRecorder | null = null): void {
    this.transport = transport;
    this.wire = wire;
  }

  private get channel(): SyncTransport {
    if (!this.transport) throw new Error('no program is running in this worker');
    return this.transport;
  }

  // Arrow functions: Python calls them as plain functions of the module.
  // What Python's calls return is recorded here for the wire view, as the program sees it.
  readonly call = (callJson: string): PythonOutcome => {
    const call = JSON.parse(callJson) as SocketCall;
    const outcome = this.channel.call(call);
    if (outcome.kind === 'ok') this.wire?.called(call, outcome.value);
    return forPython(outcome);
  };
  readonly recv = (sock: number, max: number, timeout?: number | null): PythonOutcome => {
    const outcome = this.channel.recv(sock, max, ms(timeout));
    if (outcome.kind === 'ok') this.wire?.received(sock, outcome.value === 'eof' ? new Uint8Array(0) : outcome.payload);
    return forPython(outcome);
  };
  readonly buffered = (sock: number): number => this.channel.buffered(sock);
  readonly forget = (sock: number): void => this.channel.forget(sock);
  readonly send = (sock: number, data: Uint8Array, timeout?: number | null): PythonOutcome => {
    const outcome = this.channel.send(sock, data, ms(timeout));
    if (outcome.kind === 'ok') this.wire?.sent(sock, data);
    return forPython(outcome);
  };
  readonly select = (readJson: string, writeJson: string, timeout?: number | null): PythonOutcome =>
    forPython(this.channel.select(JSON.parse(readJson) as number[], JSON.parse(writeJson) as number[], ms(timeout)));
  readonly sleep = (sleepMs: number): PythonOutcome => forPython(this.channel.sleep(sleepMs));
  readonly readLine = (): PythonOutcome => forPython(this.readTypedLine(this.channel));
}
