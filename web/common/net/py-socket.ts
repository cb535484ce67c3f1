import type { SockAddr } from '../../../shared/bridge-protocol.ts';

/**
 * What a program holds for one socket: the methods of Python's socket.socket that the lesson
 * uses, async because they wait on the bridge. Errors are thrown as PyException (shared/),
 * decided by the server's one socket implementation, so every client of the bridge (the
 * built-ins, nc, the Python runtime) sees the same semantics.
 */
export interface PySocket {
  readonly fd: number;
  bind(addr: SockAddr): Promise<void>;
  listen(backlog?: number): Promise<void>;
  accept(): Promise<[PySocket, SockAddr]>;
  connect(addr: SockAddr): Promise<void>;
  /** At most bufsize bytes; an empty array at end of stream. */
  recv(bufsize: number): Promise<Uint8Array>;
  /** Returns once every byte is handed to the real socket (backpressure: waits while the peer does not read). */
  sendall(data: Uint8Array): Promise<void>;
  /** Sends some bytes, returns how many (all of them here, up to the send window). */
  send(data: Uint8Array): Promise<number>;
  shutdown(how: number): Promise<void>;
  close(): Promise<void>;
  getsockname(): Promise<SockAddr>;
  getpeername(): Promise<SockAddr>;
  /** None (null) blocks, 0 is non-blocking, seconds otherwise. */
  settimeout(seconds: number | null): void;
  gettimeout(): number | null;
}
