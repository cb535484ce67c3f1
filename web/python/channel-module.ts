// The `socketlab_channel` module that Python's labchannel imports: the worker's SyncTransport
// with plain arguments (Python passes ints, None, JSON text and Uint8Arrays) and outcomes
// Python reads without conversion: {kind, json, payload}. It exists from the moment Pyodide
// loads (our modules are installed then); the program's transport is attached when it runs.
//
// Every call that may wait takes `suspend` last: Python says whether it can wait on a promise
// (JSPI, pyodide.ffi.can_run_sync()). Then a call that needs the server returns
// {kind: 'pending', promise}, which labchannel waits on with run_sync; else the call blocks
// on synchronous requests and returns the outcome itself.

import type { SocketCall } from '../../shared/bridge-protocol.ts';
import { Emitter } from '../../shared/emitter.ts';
import { ok, SEND_CHUNK_BYTES, type ChannelSteps, type SyncOutcome, type SyncTransport } from './sync-transport.ts';
import type { WireRecorder } from '../common/python/wire-recorder.ts';

/** One outcome as labchannel._value reads it. */
export interface PythonOutcome {
  kind: SyncOutcome['kind'] | 'pending';
  /** ok: the value; err: the {type, errno, msg}; failed: the reason; else null. */
  json: string;
  payload?: Uint8Array;
  /** pending: the outcome, once the server has answered. */
  promise?: Promise<PythonOutcome>;
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
  /** Wakeable selects that wait, and whether a wake-up came while none did (select). */
  private readonly wakers = new Emitter();
  private wakePending = false;
  readonly sendChunkBytes = SEND_CHUNK_BYTES;

  constructor(
    /** The program waits for a typed line: the page is told, so it reads one from the console. */
    private readonly announceInput: () => void,
  ) {}

  attach(transport: SyncTransport, wire: WireRecorder | null = null): void {
    this.transport = transport;
    this.wire = wire;
    this.wakePending = false;
    this.wakers.clear();
  }

  private get channel(): SyncTransport {
    if (!this.transport) throw new Error('no program is running in this worker');
    return this.transport;
  }

  /** Runs a call's steps the way Python can wait; seen (the wire view's record) runs on the outcome. */
  private settle(
    steps: ChannelSteps,
    suspend: boolean | undefined,
    seen?: (outcome: SyncOutcome) => void,
    abandoned?: () => boolean,
  ): PythonOutcome {
    const settled = this.channel.settle(steps, suspend === true, abandoned);
    const finish = (outcome: SyncOutcome): PythonOutcome => {
      seen?.(outcome);
      return forPython(outcome);
    };
    if (!(settled instanceof Promise)) return finish(settled);
    return { kind: 'pending', json: 'null', promise: settled.then(finish) };
  }

  // Arrow functions: Python calls them as plain functions of the module.
  // What Python's calls return is recorded here for the wire view, as the program sees it.
  readonly call = (callJson: string, suspend?: boolean): PythonOutcome => {
    const call = JSON.parse(callJson) as SocketCall;
    return this.settle(this.channel.call(call), suspend, (outcome) => {
      if (outcome.kind === 'ok') this.wire?.called(call, outcome.value);
    });
  };
  readonly recv = (sock: number, max: number, timeout?: number | null, suspend?: boolean): PythonOutcome =>
    this.settle(this.channel.recv(sock, max, ms(timeout)), suspend, (outcome) => {
      if (outcome.kind === 'ok') this.wire?.received(sock, outcome.value === 'eof' ? new Uint8Array(0) : outcome.payload);
    });
  readonly buffered = (sock: number): number => this.channel.buffered(sock);
  readonly forget = (sock: number): void => this.channel.forget(sock);
  readonly send = (sock: number, data: Uint8Array, timeout?: number | null, suspend?: boolean): PythonOutcome => {
    const steps = this.channel.send(sock, data, ms(timeout));
    // Recorded when the answer comes, maybe after Python has run again: a copy of its own.
    const sent = this.wire ? data.slice() : data;
    return this.settle(steps, suspend, (outcome) => {
      // A non-blocking send's value is how many bytes went (a blocking one's is null: all).
      if (outcome.kind === 'ok') this.wire?.sent(sock, typeof outcome.value === 'number' ? sent.subarray(0, outcome.value) : sent);
    });
  };
  /**
   * select.select; with watchJson (select.poll) the answer has each socket's poll bits too.
   * A wakeable one (an asyncio loop's, labasyncio) also ends, with nothing ready, at
   * wakeSelects(): the loop's self-pipe, which the lab has no socketpair for.
   */
  readonly select = (
    readJson: string,
    writeJson: string,
    timeout?: number | null,
    suspend?: boolean,
    watchJson?: string,
    wakeable?: boolean,
  ): PythonOutcome => {
    const read = JSON.parse(readJson) as number[];
    const write = JSON.parse(writeJson) as number[];
    const watch = watchJson === undefined ? undefined : (JSON.parse(watchJson) as number[]);
    if (!wakeable) return this.settle(this.channel.select(read, write, ms(timeout), watch), suspend);
    // A wake-up that came while no loop waited is kept, as a byte in a self-pipe would be.
    const woken = this.wakePending;
    this.wakePending = false;
    let gone = false;
    const outcome = this.settle(this.channel.select(read, write, woken ? 0 : ms(timeout), watch), suspend, undefined, () => gone);
    const waiting = outcome.promise;
    if (!waiting) return outcome;
    const promise = new Promise<PythonOutcome>((resolve) => {
      const wake = (): void => {
        gone = true;
        resolve(forPython(ok({ read: [], write: [] })));
      };
      const stopWaking = this.wakers.on(wake);
      void waiting.then((settled) => {
        stopWaking();
        resolve(settled);
      });
    });
    return { ...outcome, promise };
  };
  /** asyncio's _write_to_self (call_soon_threadsafe from another thread): ends the wakeable
   * selects that wait, and the next one's wait, so the loop runs what it was given. */
  readonly wakeSelects = (): void => {
    this.wakePending = true;
    this.wakers.emit();
    this.wakers.clear();
  };
  readonly sleep = (sleepMs: number, suspend?: boolean): PythonOutcome => this.settle(this.channel.sleep(sleepMs), suspend);
  readonly readLine = (suspend?: boolean): PythonOutcome => {
    this.announceInput();
    return this.settle(this.channel.stdin(), suspend);
  };
}
