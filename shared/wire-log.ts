// The wire view's record of one console's socket traffic, as its programs saw it: each send
// and each recv's returned chunk on its own line (so b'Hello fr' and b'om server\n' are two
// reads), plus the socket's life events (connect, accept, close, option changes). Pure: the
// page's socket class and the Python worker both feed it, the wire view only reads it.
//
// Memory is bounded: at most maxEntries lines and maxBytes of payload are kept (the oldest go
// first, counted in `dropped`), and one line keeps at most MAX_SHOWN_BYTES_PER_ENTRY of its
// bytes (the rest are counted, not kept: nobody reads a 64 KiB repr on one line).

import type { SockAddr } from './bridge-protocol.ts';
import { Emitter, type Disposer } from './emitter.ts';
import { pyBytesRepr } from './py-repr.ts';

/** Bytes of one send or recv kept for display; longer chunks say how many more there were. */
export const MAX_SHOWN_BYTES_PER_ENTRY = 256;
export const DEFAULT_MAX_ENTRIES = 2000;
export const DEFAULT_MAX_BYTES = 256 * 1024;

export type WireDirection = 'send' | 'recv' | 'connect' | 'accept' | 'close' | 'option';

export interface WireEntry {
  /** Wall-clock ms (Date.now()) when the program's call returned. */
  timeMs: number;
  /** The socket's id on the lab server (unique in the lab). */
  sock: number;
  /** Addresses as known when the entry was made (null: not known yet). */
  local: SockAddr | null;
  peer: SockAddr | null;
  direction: WireDirection;
  /** send/recv: the bytes (at most MAX_SHOWN_BYTES_PER_ENTRY of them). */
  bytes?: Uint8Array;
  /** send/recv: how many bytes the call moved in all. */
  length?: number;
  /** Events: a few words (e.g. 'TCP_NODELAY=1'). */
  note?: string;
}

/** What a recorder hands over: the log fills in the truncation. */
export type WireRecord = Omit<WireEntry, 'length'> & { length?: number };

export interface WireDropped {
  entries: number;
  bytes: number;
}

export class WireLog {
  private readonly kept: WireEntry[] = [];
  private keptBytes = 0;
  private droppedEntries = 0;
  private droppedBytes = 0;
  private readonly changes = new Emitter<WireEntry | null>();

  constructor(
    readonly maxEntries = DEFAULT_MAX_ENTRIES,
    readonly maxBytes = DEFAULT_MAX_BYTES,
  ) {}

  record(record: WireRecord): WireEntry {
    const entry: WireEntry = { ...record };
    if (record.bytes) {
      entry.length = record.length ?? record.bytes.length;
      entry.bytes = record.bytes.slice(0, MAX_SHOWN_BYTES_PER_ENTRY); // a copy: callers reuse buffers
    }
    this.kept.push(entry);
    this.keptBytes += entry.bytes?.length ?? 0;
    while (this.kept.length > this.maxEntries || (this.keptBytes > this.maxBytes && this.kept.length > 1)) {
      const old = this.kept.shift()!;
      this.keptBytes -= old.bytes?.length ?? 0;
      this.droppedEntries++;
      this.droppedBytes += old.length ?? 0;
    }
    this.changes.emit(entry);
    return entry;
  }

  entries(): readonly WireEntry[] {
    return this.kept;
  }

  /** Lines no longer kept (and the bytes they moved), since the last clear. */
  get dropped(): WireDropped {
    return { entries: this.droppedEntries, bytes: this.droppedBytes };
  }

  clear(): void {
    this.kept.length = 0;
    this.keptBytes = 0;
    this.droppedEntries = 0;
    this.droppedBytes = 0;
    this.changes.emit(null);
  }

  /** Called with each new entry, and with null when the log is cleared. */
  onChange(listener: (entry: WireEntry | null) => void): Disposer {
    return this.changes.on(listener);
  }
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** 12:03:04.512, in the page's local time. */
export function formatWireTime(timeMs: number): string {
  const d = new Date(timeMs);
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

function formatAddr(addr: SockAddr | null): string {
  return addr ? `${addr[0]}:${addr[1]}` : '?';
}

/** sock 3 (10.1.0.2:12345 ↔ 10.1.0.3:40112) */
export function formatWireSocket(entry: Pick<WireEntry, 'sock' | 'local' | 'peer'>): string {
  if (!entry.local && !entry.peer) return `sock ${entry.sock}`;
  return `sock ${entry.sock} (${formatAddr(entry.local)} ↔ ${formatAddr(entry.peer)})`;
}

/** What moved: b'Hello fr' (and how many more bytes there were), or the event's note. */
export function formatWirePayload(entry: WireEntry): string {
  if (!entry.bytes) return entry.note ?? '';
  const more = (entry.length ?? entry.bytes.length) - entry.bytes.length;
  const repr = pyBytesRepr(entry.bytes);
  if (entry.length === 0 && entry.direction === 'recv') return `${repr} (end of stream)`;
  return more > 0 ? `${repr}… (+${more} bytes, ${entry.length} in all)` : repr;
}

/** One line of the wire view: `12:03:04.512  sock 3 (…)  recv  b'Hello fr'`. */
export function formatWireEntry(entry: WireEntry): string {
  return `${formatWireTime(entry.timeMs)}  ${formatWireSocket(entry)}  ${entry.direction.padEnd(7)} ${formatWirePayload(entry)}`.trimEnd();
}

/** The header line saying what the bounded log no longer holds, or null when nothing was dropped. */
export function formatWireDropped(dropped: WireDropped): string | null {
  if (dropped.entries === 0) return null;
  return `… ${dropped.entries} earlier line${dropped.entries === 1 ? '' : 's'} (${dropped.bytes} bytes) no longer kept`;
}

/**
 * The local address of a connection accept() returned, known without asking the server: the
 * listener's own address, or for one bound to 0.0.0.0 the address the peer reached, which in a
 * lab is 127.0.0.1 for a peer on the same device (it comes from 127.0.0.1) and the device's
 * lab address otherwise.
 */
export function acceptedLocal(listener: SockAddr | null, peer: SockAddr, deviceAddress: string): SockAddr | null {
  if (!listener) return null;
  const [host, port] = listener;
  if (host !== '0.0.0.0' && host !== '') return [host, port];
  return [peer[0].startsWith('127.') ? '127.0.0.1' : deviceAddress, port];
}
