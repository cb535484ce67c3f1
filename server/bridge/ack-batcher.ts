// When the server tells a page that bytes it sent are written ('sent'). A page's sendall
// returns once its bytes are inside its send window, so most acknowledgements only reopen the
// window: they are gathered per socket and sent every ACK_BATCH_BYTES, which spares a message
// for each small send of a chatting program. A page that waits for its bytes (a frame of kind
// 2: a program about to sleep, or a send the server may refuse) is answered as soon as the
// bytes up to that frame are written; an error is sent at once, with what was gathered.

import type { PyErrorInfo } from '../../shared/bridge-protocol.ts';
import { ACK_BATCH_BYTES } from '../../shared/data-frame.ts';

interface SocketAcks {
  /** Bytes of this socket's frames taken from the page, and written (or failed), so far. */
  received: number;
  written: number;
  /** Written and not yet acknowledged. */
  pending: number;
  /** `received` as of the last frame that asked for an acknowledgement at once, or -1. */
  ackNowAt: number;
}

export class AckBatcher {
  private readonly sockets = new Map<number, SocketAcks>();

  constructor(private readonly send: (sock: number, bytes: number, err?: PyErrorInfo) => void) {}

  private of(sock: number): SocketAcks {
    let s = this.sockets.get(sock);
    if (!s) this.sockets.set(sock, (s = { received: 0, written: 0, pending: 0, ackNowAt: -1 }));
    return s;
  }

  /** A frame of `bytes` for `sock` came from the page (before it is written). */
  received(sock: number, bytes: number, ackNow: boolean): void {
    const s = this.of(sock);
    s.received += bytes;
    if (!ackNow) return;
    s.ackNowAt = s.received;
    if (s.written >= s.ackNowAt) this.flush(sock, s);
  }

  /** The real socket took `bytes` of a frame (or failed them with `err`). */
  written(sock: number, bytes: number, err?: PyErrorInfo): void {
    const s = this.of(sock);
    s.written += bytes;
    s.pending += bytes;
    if (err) {
      this.send(sock, s.pending, err);
      s.pending = 0;
      if (s.written >= s.ackNowAt) s.ackNowAt = -1;
      return;
    }
    if (s.pending >= ACK_BATCH_BYTES || (s.ackNowAt >= 0 && s.written >= s.ackNowAt)) this.flush(sock, s);
  }

  private flush(sock: number, s: SocketAcks): void {
    if (s.written >= s.ackNowAt) s.ackNowAt = -1;
    if (s.pending === 0) return;
    this.send(sock, s.pending);
    s.pending = 0;
  }

  /** The socket is closed: nothing more is acknowledged for it. */
  forget(sock: number): void {
    this.sockets.delete(sock);
  }
}
