// A Python program's channel over one WebSocket (shared/sync-protocol.ts): each binary
// message is a tagged request, answered by the same code as POST /api/sync/CHANNEL
// (sync-requests.ts). Requests are carried out side by side and each answer, with its
// request's tag, goes as soon as it is ready: a program's threads each wait on their own
// request (one blocked in recv while another accepts). The socket lives as long as the
// program: when the channel closes (the program ended, its console closed) the answers
// already due go out and the socket is closed with
// SYNC_SOCKET_GONE_CLOSE_CODE; when the worker goes (its tab closed) nothing is left here.
// A channel has at most one socket at a time.

import type { WebSocket } from 'ws';
import { CLOSE_CODES } from '../../shared/bridge-protocol.ts';
import { decodeSocketRequest, encodeSocketAnswer, SYNC_SOCKET_GONE_CLOSE_CODE } from '../../shared/sync-protocol.ts';
import type { SyncChannel } from './sync-channel.ts';
import { answerSyncRequest, type SyncReply } from './sync-requests.ts';

/** WebSocket's "internal error" close code. */
const INTERNAL_ERROR_CLOSE_CODE = 1011;
const GONE_REASON = 'the program has ended';
const TAKEN_REASON = 'the program already has its channel socket';

export function serveSyncSocket(ws: WebSocket, channel: SyncChannel | undefined, withSocket: WeakSet<SyncChannel>): void {
  if (!channel || channel.isClosed) return ws.close(SYNC_SOCKET_GONE_CLOSE_CODE, GONE_REASON);
  if (withSocket.has(channel)) return ws.close(CLOSE_CODES.POLICY, TAKEN_REASON);
  withSocket.add(channel);
  /** The requests being carried out: the socket closes once they are answered. */
  const inFlight = new Set<Promise<void>>();
  const send = (tag: number, reply: SyncReply) => {
    if (ws.readyState === ws.OPEN) ws.send(encodeSocketAnswer(tag, reply.status, reply.frame), { binary: true });
  };
  const stopListening = channel.onClose(() => {
    // Every waiting request is answered at once when the channel closes.
    void Promise.allSettled([...inFlight]).then(() => ws.close(SYNC_SOCKET_GONE_CLOSE_CODE, GONE_REASON));
  });
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (ws.readyState !== ws.OPEN || channel.isClosed) return;
    const request = isBinary ? decodeSocketRequest(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) : 'send binary messages';
    // Untagged, it cannot be answered: the socket ends, as for a bug of ours.
    if (typeof request === 'string') return ws.close(CLOSE_CODES.POLICY, request);
    const answering = answerSyncRequest(channel, request.body)
      .then((reply) => send(request.tag, reply))
      // A bug of ours, as the POST route's 500: this socket ends, the next requests see why.
      .catch(() => ws.close(INTERNAL_ERROR_CLOSE_CODE, 'internal error'))
      .finally(() => inFlight.delete(answering));
    inFlight.add(answering);
  });
  ws.on('close', () => {
    stopListening();
    withSocket.delete(channel);
  });
}
