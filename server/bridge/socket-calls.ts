// The socket calls of a program, carried out on the lab network: one implementation for
// every way a program reaches the server (a console's WebSocket, the Python worker's
// synchronous requests), so both meet the same errors and the same lab limits.

import type { PyErrorInfo, SocketCall } from '../../shared/bridge-protocol.ts';
import { errnoError } from '../../shared/socket-errors.ts';
import type { LabSocket } from '../net/lab-socket.ts';
import type { LabNetwork, Outcome } from '../net/lab-network.ts';

/** setsockopt levels and names the server carries out (Linux values); others are accepted and ignored. */
const SOL_SOCKET = 1;
const SO_REUSEADDR = 2;
const SO_TYPE = 3;
const SO_ERROR = 4;
const IPPROTO_TCP = 6;
const TCP_NODELAY = 1;
const SOCK_STREAM = 1;
/** Linux's answer to getsockopt of an option it does not have (ENOPROTOOPT). */
const NO_SUCH_OPTION: PyErrorInfo = { type: 'OSError', errno: 92, msg: 'Protocol not available' };

/** The sockets a caller may touch (its own programs'), by socket id. */
export interface SocketTable {
  get(id: number): LabSocket | undefined;
  /** A socket accept() made for the caller. */
  adopt(sock: LabSocket): void;
  forget(id: number): void;
}

export async function runSocketCall(
  network: LabNetwork,
  call: Exclude<SocketCall, { op: 'socket' }>,
  sockets: SocketTable,
): Promise<Outcome<unknown>> {
  const sock = sockets.get(call.sock);
  if (!sock) return { err: errnoError('EBADF') };
  const done = (err: PyErrorInfo | null): Outcome<null> => (err ? { err } : { ok: null });
  switch (call.op) {
    case 'bind':
      return done(network.bind(sock, call.host, call.port));
    case 'listen':
      return network.listen(sock);
    case 'accept': {
      const outcome = await network.accept(sock, call.timeoutMs, (conn) => sockets.adopt(conn));
      if ('err' in outcome) return outcome;
      const conn = outcome.ok;
      return { ok: { sock: conn.id, fd: conn.fd, addr: conn.peer } };
    }
    case 'connect':
      return network.connect(sock, call.host, call.port, call.timeoutMs);
    case 'shutdown':
      return done(sock.shutdown(call.how));
    case 'close':
      sock.close();
      sockets.forget(sock.id);
      return { ok: null };
    case 'getsockname':
      return sock.isOpen ? { ok: sock.localAddr() } : { err: errnoError('EBADF') };
    case 'getpeername':
      if (!sock.isOpen) return { err: errnoError('EBADF') };
      return sock.peer && sock.state === 'connected' ? { ok: sock.peer } : { err: errnoError('ENOTCONN') };
    case 'setsockopt':
      if (!sock.isOpen) return { err: errnoError('EBADF') };
      if (call.level === SOL_SOCKET && call.name === SO_REUSEADDR) sock.reuseAddr = call.value !== 0;
      // Nagle's algorithm off (1) or on (0) on the real socket: the wire view's switch and a
      // Python program's setsockopt both come here.
      if (call.level === IPPROTO_TCP && call.name === TCP_NODELAY) sock.noDelay = call.value !== 0;
      return { ok: null };
    case 'getsockopt':
      if (!sock.isOpen) return { err: errnoError('EBADF') };
      return getsockopt(sock, call.level, call.name);
  }
}

/** The options the server keeps, read back as Linux gives them (a boolean option is 0 or 1). */
function getsockopt(sock: LabSocket, level: number, name: number): Outcome<number> {
  if (level === SOL_SOCKET && name === SO_REUSEADDR) return { ok: sock.reuseAddr ? 1 : 0 };
  if (level === SOL_SOCKET && name === SO_TYPE) return { ok: SOCK_STREAM };
  // The pending error (a failed non-blocking connect's), taken as Linux does.
  if (level === SOL_SOCKET && name === SO_ERROR) return { ok: sock.takeSoError()?.errno ?? 0 };
  if (level === IPPROTO_TCP && name === TCP_NODELAY) return { ok: sock.noDelay ? 1 : 0 };
  return { err: NO_SUCH_OPTION };
}
