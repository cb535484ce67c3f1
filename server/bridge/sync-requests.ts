// One request of a Python program's channel, however it came (POST /api/sync/CHANNEL or a
// message on the channel's WebSocket): admitted against its console's message rate, decoded,
// validated, carried out by the channel, and answered as the HTTP status and answer frame the
// POST route sends. Each refused request (too fast, malformed, over its window) counts as one
// of the console's bad messages, as on the console's WebSocket.

import { ProtocolError } from '../../shared/json-fields.ts';
import { decodeSyncFrame, encodeSyncFrame, MAX_SYNC_REQUEST_BYTES, parseSyncRequest } from '../../shared/sync-protocol.ts';
import type { SyncChannel } from './sync-channel.ts';

export interface SyncReply {
  status: number;
  frame: Uint8Array;
}

/** The answer to a request that no longer has a channel (its program has ended). */
export const GONE_REPLY: SyncReply = { status: 410, frame: encodeSyncFrame({ gone: 'the program has ended' }) };

/** A request refused: it counts as a bad message of the channel's console. */
export function refuseSyncRequest(channel: SyncChannel, status: number, code: string, error: string): SyncReply {
  channel.refusedRequest();
  return { status, frame: encodeSyncFrame({ code, error }) };
}

/** Admits, reads and carries out one request frame (a string: why the body is not one). */
export async function answerSyncRequest(channel: SyncChannel, body: Uint8Array | string): Promise<SyncReply> {
  const tooFast = channel.admitRequest();
  if (tooFast !== null) return refuseSyncRequest(channel, 429, 'too-fast', tooFast);
  if (typeof body === 'string') return refuseSyncRequest(channel, 400, 'bad-message', body);
  if (body.length > MAX_SYNC_REQUEST_BYTES) {
    return refuseSyncRequest(channel, 413, 'too-large', `a request is at most ${MAX_SYNC_REQUEST_BYTES} bytes`);
  }
  const frame = decodeSyncFrame(body);
  if (typeof frame === 'string') return refuseSyncRequest(channel, 400, 'bad-frame', frame);
  try {
    const answer = await channel.handle(parseSyncRequest(frame.message), frame.payload);
    return { status: 200, frame: encodeSyncFrame(answer.message, answer.payload) };
  } catch (err) {
    if (err instanceof ProtocolError) return refuseSyncRequest(channel, 400, err.code, err.message);
    throw err;
  }
}
