// A running program on the page: its PID on the server, its sockets, and how it is stopped.
// Ctrl-C and `kill` abort the process's signal; every blocking wait of the program races
// against it, so a program blocked in accept, recv, connect, input or sleep stops at once.

import { keyboardInterrupt, PyException } from '../../../shared/py-exception.ts';
import { BridgeClosedError, type BridgeSession } from '../bridge/bridge-session.ts';
import { BridgeSocket } from '../net/bridge-socket.ts';
import type { PySocket } from '../net/py-socket.ts';

/** The program was ended by `kill PID` from another console (SIGTERM). */
export class Terminated extends Error {
  constructor() {
    super('Terminated');
  }
}

export class ProgramProcess {
  private readonly abort = new AbortController();
  private readonly sockets = new Set<BridgeSocket>();
  private exited = false;

  constructor(
    readonly session: BridgeSession,
    readonly pid: number,
  ) {}

  static async spawn(session: BridgeSession, name: string, argv: readonly string[]): Promise<ProgramProcess> {
    const { pid } = await session.call({ op: 'spawn', name, argv: [...argv] });
    return new ProgramProcess(session, pid);
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Ctrl-C: KeyboardInterrupt at whatever the program waits on. */
  interrupt(): void {
    if (!this.abort.signal.aborted) this.abort.abort(keyboardInterrupt());
  }

  /** `kill PID`: the program ends without a traceback. */
  terminate(): void {
    if (!this.abort.signal.aborted) this.abort.abort(new Terminated());
  }

  /** The program returned: whatever it still waits on (nc's reader of typed lines, say) is
   * cancelled, so a line typed next goes to the shell, not to a program that is gone. */
  finish(): void {
    if (!this.abort.signal.aborted) this.abort.abort(new Terminated());
  }

  /** Waits for a promise unless the program is stopped first. */
  wait<T>(promise: Promise<T>): Promise<T> {
    const signal = this.abort.signal;
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }

  async socket(): Promise<PySocket> {
    const info = await this.wait(this.session.call({ op: 'socket', pid: this.pid }));
    return this.adopt(info.sock, info.fd);
  }

  /** Tracks a socket of this process (socket() and accept() make them). */
  adopt(sock: number, fd: number): BridgeSocket {
    const socket = new BridgeSocket(this, sock, fd, () => this.sockets.delete(socket));
    this.sockets.add(socket);
    return socket;
  }

  /** Until the server has written every byte this process's sockets have sent (BridgeSocket.written). */
  async written(): Promise<void> {
    await Promise.all([...this.sockets].map((s) => s.written()));
  }

  /** The program ended, however it ended: the server closes every socket it still had. */
  async exit(): Promise<void> {
    if (this.exited) return;
    this.exited = true;
    for (const socket of this.sockets) socket.detach();
    this.sockets.clear();
    if (!this.session.closed) await this.session.call({ op: 'exit', pid: this.pid }).catch(() => undefined);
  }

  /** Turns anything a program threw into what the console prints (CPython's last traceback line). */
  static describeFailure(err: unknown): string | null {
    if (err instanceof Terminated) return null;
    if (err instanceof BridgeClosedError) return `[the program ended: ${err.message}]`;
    if (err instanceof PyException) return err.toString();
    return `SystemError: ${err instanceof Error ? err.message : String(err)}`;
  }
}
