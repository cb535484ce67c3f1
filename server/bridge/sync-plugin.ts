// The Python worker's channel (shared/sync-protocol.ts), two ways to the same requests
// (sync-requests.ts): POST /api/sync/CHANNEL, a synchronous XMLHttpRequest each, and
// GET /api/sync/CHANNEL/ws, one WebSocket per program for a worker whose Python can wait on a
// promise (JSPI). Each request counts against its console's messages per second, and each
// refused one (malformed, too fast, over its window) as one of its bad messages.

import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { MAX_SYNC_REQUEST_BYTES, SYNC_SOCKET_SUFFIX } from '../../shared/sync-protocol.ts';
import type { SyncChannel } from './sync-channel.ts';
import { refuseOtherOrigins } from './same-origin.ts';
import { answerSyncRequest, GONE_REPLY } from './sync-requests.ts';
import { serveSyncSocket } from './sync-socket.ts';

export interface SyncOptions {
  channels: Map<string, SyncChannel>;
}

const FRAME_TYPE = 'application/octet-stream';
/** The channel's token (any string: an unknown one is a program that has ended, 410). The body
 * is a binary frame, checked by sync-requests.ts, not JSON: no body schema. */
const CHANNEL_PARAMS = { type: 'object', properties: { channel: { type: 'string' } }, required: ['channel'] } as const;

async function sync(app: FastifyInstance, options: SyncOptions): Promise<void> {
  if (!(options.channels instanceof Map)) throw new Error('sync plugin needs the channels map');
  app.addContentTypeParser(FRAME_TYPE, { parseAs: 'buffer', bodyLimit: MAX_SYNC_REQUEST_BYTES }, (_req, body, done) =>
    done(null, body),
  );
  app.post<{ Params: { channel: string }; Body: Buffer }>('/api/sync/:channel', { onRequest: refuseOtherOrigins, schema: { params: CHANNEL_PARAMS } }, async (req, reply) => {
    const channel = options.channels.get(req.params.channel);
    const body = req.body;
    const answer = channel
      ? await answerSyncRequest(channel, Buffer.isBuffer(body) ? new Uint8Array(body.buffer, body.byteOffset, body.byteLength) : `send ${FRAME_TYPE}`)
      : GONE_REPLY;
    return reply.code(answer.status).type(FRAME_TYPE).header('cache-control', 'no-store').send(Buffer.from(answer.frame));
  });
  // The WebSocket plugin is the bridge's (a declared dependency, so registered before this
  // one: its check of upgrades to routes without a WebSocket sees this route as one); the
  // Origin check answers 403 before any upgrade.
  const withSocket = new WeakSet<SyncChannel>();
  app.get<{ Params: { channel: string } }>(
    `/api/sync/:channel${SYNC_SOCKET_SUFFIX}`,
    { websocket: true, onRequest: refuseOtherOrigins, schema: { params: CHANNEL_PARAMS } },
    (ws: WebSocket, req) => serveSyncSocket(ws, options.channels.get(req.params.channel), withSocket),
  );
}

export const syncPlugin = fp(sync, { name: 'socket-lab-sync', fastify: '5.x', dependencies: ['socket-lab-bridge'] });
