// Where a console's programs report their socket traffic for the wire view: one WireTap per
// console (it outlives reconnects), found from the console's bridge session, so the page's
// socket class (bridge-socket.ts) and the Python runner record into it without the programs
// or the session knowing. It also knows, per socket, its addresses, whether it is connected
// and how to set TCP_NODELAY on it (the session's call, or the Python program's channel).

import type { SockAddr } from '../../../shared/bridge-protocol.ts';
import { Emitter, type Disposer } from '../../../shared/emitter.ts';
import { WireLog, type WireDirection, type WireEntry } from '../../../shared/wire-log.ts';

/** setsockopt levels and names (Linux values) of Nagle's switch. */
export const IPPROTO_TCP = 6;
export const TCP_NODELAY = 1;

export interface WireSocket {
  sock: number;
  local: SockAddr | null;
  peer: SockAddr | null;
  /** Connected and not yet closed: the Nagle switch applies. */
  connected: boolean;
  /** TCP_NODELAY as last set through the program or the switch (false: Nagle on, the default). */
  noDelay: boolean;
  /** Sets TCP_NODELAY on the real socket; null when this page cannot reach the socket. */
  setNoDelay: ((on: boolean) => Promise<void>) | null;
}

export class WireTap {
  readonly log = new WireLog();
  private readonly known = new Map<number, WireSocket>();
  private readonly socketChanges = new Emitter();

  /** Adds or updates what is known of a socket. */
  socket(sock: number, info: Partial<Omit<WireSocket, 'sock'>>): WireSocket {
    let known = this.known.get(sock);
    if (!known) {
      known = { sock, local: null, peer: null, connected: false, noDelay: false, setNoDelay: null };
      this.known.set(sock, known);
    }
    Object.assign(known, info);
    this.socketChanges.emit();
    return known;
  }

  /** One line: the program's call on sock returned (now). */
  record(sock: number, direction: WireDirection, detail: { bytes?: Uint8Array; length?: number; note?: string } = {}): WireEntry {
    const known = this.known.get(sock);
    return this.log.record({ timeMs: Date.now(), sock, local: known?.local ?? null, peer: known?.peer ?? null, direction, ...detail });
  }

  /** The socket closed: it leaves the switches (its lines stay). */
  closed(sock: number): void {
    const known = this.known.get(sock);
    if (!known) return;
    this.known.delete(sock);
    this.socketChanges.emit();
  }

  sockets(): WireSocket[] {
    return [...this.known.values()];
  }

  /** Sets TCP_NODELAY through the socket's owner, then remembers it (the switch's state). */
  async setNoDelay(sock: number, on: boolean): Promise<void> {
    const known = this.known.get(sock);
    if (!known?.setNoDelay) throw new Error(`sock ${sock} cannot be reached from this page`);
    await known.setNoDelay(on);
    known.noDelay = on;
    this.record(sock, 'option', { note: `TCP_NODELAY=${on ? 1 : 0} (Nagle ${on ? 'off' : 'on'}, set from the wire view)` });
    this.socketChanges.emit();
  }

  /** Called when sockets come, go or change. */
  onSockets(listener: () => void): Disposer {
    return this.socketChanges.on(listener);
  }
}

/** The tap of each console's bridge session (a weak map: a closed session leaves nothing behind). */
const taps = new WeakMap<object, WireTap>();

export function attachWireTap(session: object, tap: WireTap): void {
  taps.set(session, tap);
}

/** The tap of the console this session belongs to; null outside a console (tests, nc's helpers). */
export function wireTapOf(session: object): WireTap | null {
  return taps.get(session) ?? null;
}
