// The wire view's record of a Python program's sockets, made in the worker where the shim's
// calls return (web/python/channel-module.ts): each send and each recv chunk Python gets, as Python got
// it, plus connect, accept, close and TCP_NODELAY. Posted to the page (worker-messages.ts),
// whose runner puts it in the console's WireTap. Only the first bytes of a chunk travel
// (MAX_SHOWN_BYTES_PER_ENTRY): the page shows no more, and a busy program posts little.

import type { SockAddr, SocketCall } from '../../../shared/bridge-protocol.ts';
import { acceptedLocal, MAX_SHOWN_BYTES_PER_ENTRY, type WireDirection } from '../../../shared/wire-log.ts';

export interface WireEvent {
  sock: number;
  direction: WireDirection;
  bytes?: Uint8Array;
  length?: number;
  note?: string;
  /** connect/accept: the addresses; the page then offers the Nagle switch for it. */
  local?: SockAddr | null;
  peer?: SockAddr;
}

const IPPROTO_TCP = 6;
const TCP_NODELAY = 1;

export class WireRecorder {
  private readonly bound = new Map<number, SockAddr>();
  private readonly ended = new Set<number>();

  constructor(
    private readonly post: (event: WireEvent) => void,
    /** socket.gethostname(): the device's lab address. */
    private readonly deviceAddress: string,
  ) {}

  /** A socket call returned value (it succeeded). */
  called(call: SocketCall, value: unknown): void {
    switch (call.op) {
      case 'bind':
        this.bound.set(call.sock, [call.host, call.port]);
        return;
      case 'connect': {
        const peer: SockAddr = [call.host, call.port];
        const local = (value as { local?: SockAddr } | null)?.local ?? null;
        this.post({ sock: call.sock, direction: 'connect', note: `to ${call.host}:${call.port}`, local, peer });
        return;
      }
      case 'accept': {
        const got = value as { sock: number; addr: SockAddr };
        const local = acceptedLocal(this.bound.get(call.sock) ?? null, got.addr, this.deviceAddress);
        this.post({ sock: got.sock, direction: 'accept', note: `from ${got.addr[0]}:${got.addr[1]}`, local, peer: got.addr });
        return;
      }
      case 'close':
        this.bound.delete(call.sock);
        this.ended.delete(call.sock);
        this.post({ sock: call.sock, direction: 'close' });
        return;
      case 'setsockopt':
        if (call.level === IPPROTO_TCP && call.name === TCP_NODELAY) {
          this.post({ sock: call.sock, direction: 'option', note: `TCP_NODELAY=${call.value !== 0 ? 1 : 0} (Nagle ${call.value !== 0 ? 'off' : 'on'})` });
        }
        return;
    }
  }

  /** recv returned these bytes; b'' (the end of the stream) is recorded once, as a program may spin on it. */
  received(sock: number, bytes: Uint8Array): void {
    if (bytes.length === 0) {
      if (this.ended.has(sock)) return;
      this.ended.add(sock);
    }
    this.post({ sock, direction: 'recv', bytes: bytes.slice(0, MAX_SHOWN_BYTES_PER_ENTRY), length: bytes.length });
  }

  /** send (one chunk of a sendall) returned: the server's socket took these bytes. */
  sent(sock: number, bytes: Uint8Array): void {
    this.post({ sock, direction: 'send', bytes: bytes.slice(0, MAX_SHOWN_BYTES_PER_ENTRY), length: bytes.length });
  }
}
