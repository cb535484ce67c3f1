// The worker's end of its program's channel WebSocket (shared/sync-protocol.ts): each request
// frame is one binary message with a tag, and each answer comes back, with its request's tag
// and the HTTP status the POST route would have given, when it is ready (a program's threads
// each wait on their own request). Opened when the program starts; if it cannot be opened the
// program uses synchronous XMLHttpRequests instead. Once it is closed every request is
// answered at once: 410 when the server closed it because the program ended, else 0 (the
// server could not be reached), as a synchronous XMLHttpRequest would be.

import { decodeSocketAnswer, encodeSocketRequest, SYNC_SOCKET_GONE_CLOSE_CODE, SYNC_SOCKET_SUFFIX } from '../../shared/sync-protocol.ts';
import { RequestPacer } from '../common/python/request-pacer.ts';
import type { SyncReplyBytes } from './sync-transport.ts';

/** How long the worker waits for the socket to open before it does without. */
export const SOCKET_OPEN_TIMEOUT_MS = 5000;

const NOTHING = new Uint8Array(0);

/** The channel's WebSocket URL: its POST URL (relative to base, its query kept) with the suffix on the path and ws: for http:. */
export function channelSocketUrl(syncUrl: string, base: string): string {
  const url = new URL(syncUrl, base);
  url.pathname += SYNC_SOCKET_SUFFIX;
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/** The parts of a browser WebSocket used here (tests pass a fake). */
export interface LinkSocket {
  binaryType: BinaryType;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(type: 'close', listener: (event: { code: number }) => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export class SocketLink {
  /** The requests sent and not yet answered, by tag. */
  private readonly waiting = new Map<number, (reply: SyncReplyBytes) => void>();
  private lastTag = 0;
  private ended: SyncReplyBytes | null = null;
  /** Requests past the pacer's rate wait their turn here, in order; how many wait. */
  private queued: Promise<void> = Promise.resolve();
  private queuedCount = 0;

  private constructor(
    private readonly socket: LinkSocket,
    private readonly pacer: RequestPacer,
  ) {
    socket.addEventListener('message', (event) => {
      const data = event.data instanceof ArrayBuffer ? new Uint8Array(event.data) : NOTHING;
      const answer = decodeSocketAnswer(data);
      // Unreadable: no request can be told which answer it was; the server never sends one.
      if (typeof answer === 'string') return socket.close();
      const resolve = this.waiting.get(answer.tag);
      this.waiting.delete(answer.tag);
      resolve?.({ status: answer.status, body: answer.body });
    });
    socket.addEventListener('close', (event) => {
      this.ended = { status: event.code === SYNC_SOCKET_GONE_CLOSE_CODE ? 410 : 0, body: NOTHING };
      const waiting = [...this.waiting.values()];
      this.waiting.clear();
      for (const answer of waiting) answer(this.ended);
    });
  }

  /** A link on a new browser WebSocket to url, or null (the constructor itself may throw, as for a blocked port). */
  static connect(url: string): Promise<SocketLink | null> {
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch {
      return Promise.resolve(null);
    }
    return SocketLink.open(socket);
  }

  /** The link once its socket is open, or null if it could not be opened in time. */
  static open(socket: LinkSocket, timeoutMs = SOCKET_OPEN_TIMEOUT_MS, pacer = new RequestPacer()): Promise<SocketLink | null> {
    socket.binaryType = 'arraybuffer';
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        socket.close();
        resolve(null);
      }, timeoutMs);
      const settle = (link: SocketLink | null) => {
        clearTimeout(timer);
        resolve(link);
      };
      socket.addEventListener('open', () => settle(new SocketLink(socket, pacer)));
      socket.addEventListener('error', () => settle(null));
      socket.addEventListener('close', () => settle(null));
    });
  }

  /** One request's round trip. */
  readonly post = (frame: Uint8Array): Promise<SyncReplyBytes> => {
    if (this.ended) return Promise.resolve(this.ended);
    const waitMs = this.pacer.take();
    const send = (resolve: (reply: SyncReplyBytes) => void) => {
      if (this.ended) return resolve(this.ended);
      this.lastTag = (this.lastTag + 1) >>> 0;
      this.waiting.set(this.lastTag, resolve);
      this.socket.send(encodeSocketRequest(this.lastTag, frame));
    };
    if (waitMs === 0 && this.queuedCount === 0) return new Promise((resolve) => send(resolve));
    this.queuedCount++;
    const turn = this.queued.then(() => new Promise<void>((r) => setTimeout(r, waitMs)));
    this.queued = turn;
    return turn.then(
      () =>
        new Promise<SyncReplyBytes>((resolve) => {
          this.queuedCount--;
          send(resolve);
        }),
    );
  };

  close(): void {
    this.socket.close();
  }
}
