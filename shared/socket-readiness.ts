// When a socket is ready, as Linux's tcp_poll decides it: select, poll and selectors all ask
// this one function, so every way of waiting agrees with what the next call would do.
//
// Readable: a connection to accept, bytes to read, the end of the stream, an error to report,
// or a socket that is not connected at all (a recv there does not block: it fails at once).
// Writable: a connected socket with room in its send window, an error to report, or a socket
// that is not connected (its send fails at once). A connect under way is neither, and a
// listener is never writable.

export type ReadinessState = 'fresh' | 'bound' | 'listening' | 'connecting' | 'connected' | 'closed';

export interface ReadinessFacts {
  state: ReadinessState;
  /** Connections waiting for accept() (listeners). */
  acceptQueued: number;
  /** Bytes received and not yet read. */
  received: number;
  /** The peer's end of stream arrived, or the socket was shut for reading. */
  ended: boolean;
  /** An error is pending (a reset, or a failed non-blocking connect's SO_ERROR). */
  failed: boolean;
  /** A send would take bytes now (the send window has room, or sending already failed). */
  sendRoom: boolean;
}

export interface Readiness {
  readable: boolean;
  writable: boolean;
}

export function socketReadiness(f: ReadinessFacts): Readiness {
  switch (f.state) {
    case 'listening':
      return { readable: f.acceptQueued > 0, writable: false };
    case 'connecting':
      return { readable: false, writable: false };
    case 'connected':
      return { readable: f.received > 0 || f.ended || f.failed, writable: f.sendRoom || f.failed };
    default:
      // Not connected (never, or no more): every call fails at once, so Linux reports both.
      return { readable: true, writable: true };
  }
}
