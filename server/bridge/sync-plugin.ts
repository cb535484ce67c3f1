// POST /api/sync/CHANNEL: the Python worker's synchronous requests (shared/sync-protocol.ts).
// Each request counts against its console's messages per second, and each refused one
// (malformed, too fast, over its window) as one of its bad messages, as on the WebSocket.

import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { ProtocolError } from '../../shared/json-fields.ts';
import {
  decodeSyncFrame,
  encodeSyncFrame,
  MAX_SYNC_REQUEST_BYTES,
  parseSyncRequest,
} from '../../shared/sync-protocol.ts';
import type { SyncChannel } from './sync-channel.ts';
import { refuseOtherOrigins } from './bridge-plugin.ts';

export interface SyncOptions {
  channels: Map<string, SyncChannel>;
}

const FRAME_TYPE = 'application/octet-stream';

async function sync(app: FastifyInstance, options: SyncOptions): Promise<void> {
  if (!(options.channels instanceof Map)) throw new Error('sync plugin needs the channels map');
  app.addContentTypeParser(FRAME_TYPE, { parseAs: 'buffer', bodyLimit: MAX_SYNC_REQUEST_BYTES }, (_req, body, done) =>
    done(null, body),
  );
  app.post<{ Params: { channel: string }; Body: Buffer }>('/api/sync/:channel', { onRequest: refuseOtherOrigins }, async (req, reply) => {
    const channel = options.channels.get(req.params.channel);
    reply.type(FRAME_TYPE).header('cache-control', 'no-store');
    if (!channel) return reply.code(410).send(Buffer.from(encodeSyncFrame({ gone: 'the program has ended' })));
    const refuse = (status: number, code: string, error: string) => {
      channel.refusedRequest();
      return reply.code(status).send(Buffer.from(encodeSyncFrame({ code, error })));
    };
    const tooFast = channel.admitRequest();
    if (tooFast !== null) return refuse(429, 'too-fast', tooFast);
    const body = req.body;
    if (!Buffer.isBuffer(body)) return refuse(400, 'bad-message', `send ${FRAME_TYPE}`);
    const frame = decodeSyncFrame(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
    if (typeof frame === 'string') return refuse(400, 'bad-frame', frame);
    let answer;
    try {
      answer = await channel.handle(parseSyncRequest(frame.message), frame.payload);
    } catch (err) {
      if (err instanceof ProtocolError) return refuse(400, err.code, err.message);
      throw err;
    }
    return reply.send(Buffer.from(encodeSyncFrame(answer.message, answer.payload)));
  });
}

export const syncPlugin = fp(sync, { name: 'socket-lab-sync', fastify: '5.x' });
