// When a socket is ready, as Linux's tcp_poll decides it: poll's event bits, and select's
// readable and writable derived from them the way Linux's select does (readable: POLLIN,
// POLLHUP or POLLERR; writable: POLLOUT or POLLERR). select, poll and selectors all ask this
// one function, so every way of waiting agrees with what the next call would do.
//
// tcp_poll, in the terms of the facts below:
// - a listener: POLLIN with a connection to accept; nothing else.
// - a connect under way: nothing (an error ends it: the socket is then not connected).
// - POLLHUP when both directions are shut (the peer's end or SHUT_RD, and SHUT_WR), after a
//   reset, and on a socket that is not connected (Linux's TCP_CLOSE state); one whose
//   connect failed is shut both ways, so POLLIN|POLLRDHUP too.
// - POLLIN with bytes to read, or once reading is shut (the peer's end, SHUT_RD, a reset);
//   POLLRDHUP with it in the second case.
// - POLLOUT with room to send, or once sending is shut (a send fails at once then).
// - POLLERR while an error is pending (a reset, or a failed non-blocking connect's SO_ERROR).

export type ReadinessState = 'fresh' | 'bound' | 'listening' | 'connecting' | 'connected' | 'closed';

/** Linux's poll event bits (asm-generic/poll.h). */
export const POLLIN = 0x001;
export const POLLOUT = 0x004;
export const POLLERR = 0x008;
export const POLLHUP = 0x010;
export const POLLRDHUP = 0x2000;

export interface ReadinessFacts {
  state: ReadinessState;
  /** Connections waiting for accept() (listeners). */
  acceptQueued: number;
  /** Bytes received and not yet read. */
  received: number;
  /** The peer's end of stream arrived, or the socket was shut for reading (for a socket not
   * connected: its connect failed, which shuts both ways). */
  ended: boolean;
  /** The socket was shut for writing (shutdown SHUT_WR or SHUT_RDWR). */
  writeShut?: boolean;
  /** The connection was reset (its error reported or not): both directions are done. */
  reset?: boolean;
  /** An error is pending (a reset, or a failed non-blocking connect's SO_ERROR). */
  failed: boolean;
  /** A send would take bytes now (the send window has room, or sending already failed). */
  sendRoom: boolean;
}

export interface Readiness {
  readable: boolean;
  writable: boolean;
}

/** poll's event bits for the socket, as tcp_poll gives them. */
export function tcpPoll(f: ReadinessFacts): number {
  const err = f.failed ? POLLERR : 0;
  switch (f.state) {
    case 'listening':
      return f.acceptQueued > 0 ? POLLIN : 0;
    case 'connecting':
      return err;
    case 'connected': {
      const readShut = f.ended || f.reset === true;
      const writeShut = f.writeShut === true || f.reset === true;
      let mask = err;
      if (readShut && writeShut) mask |= POLLHUP;
      if (readShut) mask |= POLLIN | POLLRDHUP;
      else if (f.received > 0) mask |= POLLIN;
      if (writeShut || f.sendRoom) mask |= POLLOUT;
      return mask;
    }
    default:
      // Not connected (never, or no more): TCP_CLOSE, so hung up; a send fails at once. After
      // a failed connect it is shut both ways, so at its end too.
      return POLLHUP | POLLOUT | err | (f.ended ? POLLIN | POLLRDHUP : 0);
  }
}

/** select's view of the same bits. */
export function socketReadiness(f: ReadinessFacts): Readiness {
  const mask = tcpPoll(f);
  return {
    readable: (mask & (POLLIN | POLLHUP | POLLERR)) !== 0,
    writable: (mask & (POLLOUT | POLLERR)) !== 0,
  };
}
