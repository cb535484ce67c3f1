// The two ends a benchmark workload talks through: a byte stream with sendall and recv, as a
// program's socket is. The lab's are the page's own sockets (web/common/net/bridge-socket.ts); the
// baselines' are a raw node:net socket and a WebSocket client of websockify, adapted here.

import type net from 'node:net';
import type WebSocket from 'ws';
import { InboundQueue } from './inbound-queue.ts';

export interface Endpoint {
  sendall(data: Uint8Array): Promise<void>;
  /** Up to max bytes, waiting for some; empty at the end of the stream. */
  recv(max: number): Promise<Uint8Array>;
  close(): void;
}

/** A raw TCP socket: sendall returns once node has the bytes, waiting for 'drain' when its buffer is full. */
export function tcpEndpoint(sock: net.Socket): Endpoint {
  const inbound = new InboundQueue();
  sock.setNoDelay(true);
  sock.on('data', (d: Buffer) => inbound.push(d));
  sock.on('end', () => inbound.end());
  sock.on('close', () => inbound.end());
  sock.on('error', () => inbound.end());
  return {
    async sendall(data) {
      if (!sock.write(data)) await new Promise((r) => sock.once('drain', r));
    },
    recv: (max) => inbound.recv(max),
    close: () => sock.destroy(),
  };
}

/** Bytes a WebSocket client may have handed to ws and not seen written, before sendall waits. */
const WS_SEND_WINDOW_BYTES = 4 * 1024 * 1024;

/** A WebSocket client (through websockify): each sendall one binary message, received messages read as a stream. */
export function wsEndpoint(ws: WebSocket): Endpoint {
  const inbound = new InboundQueue();
  ws.on('message', (d: Buffer) => inbound.push(d));
  ws.on('close', () => inbound.end());
  ws.on('error', () => inbound.end());
  let inFlight = 0;
  let drained: (() => void) | null = null;
  return {
    async sendall(data) {
      while (inFlight >= WS_SEND_WINDOW_BYTES) await new Promise<void>((r) => (drained = r));
      inFlight += data.length;
      ws.send(data, { binary: true }, () => {
        inFlight -= data.length;
        const wake = drained;
        drained = null;
        wake?.();
      });
    },
    recv: (max) => inbound.recv(max),
    close: () => ws.terminate(),
  };
}
