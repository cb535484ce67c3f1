// The lab bridge: one WebSocket per console at /ws, speaking shared/bridge-protocol.ts.

import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { ConsoleSession, type SessionContext } from './console-session.ts';
import { MAX_CONTROL_MESSAGE_BYTES } from '../../shared/bridge-protocol.ts';
import { DATA_FRAME_HEADER_BYTES, MAX_DATA_FRAME_PAYLOAD_BYTES } from '../../shared/data-frame.ts';

export const BRIDGE_PATH = '/ws';
/** The WebSocket layer refuses any frame larger than the protocol allows. */
const MAX_FRAME_BYTES = Math.max(MAX_CONTROL_MESSAGE_BYTES, DATA_FRAME_HEADER_BYTES + MAX_DATA_FRAME_PAYLOAD_BYTES);

export type BridgeOptions = SessionContext;

async function bridge(app: FastifyInstance, options: BridgeOptions): Promise<void> {
  if (!options.registry || !options.network || !options.channels || typeof options.revealAnswers !== 'function') {
    throw new Error('bridge plugin needs registry, network, channels and revealAnswers');
  }
  await app.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES } });
  const sessions = new Set<ConsoleSession>();

  app.get(BRIDGE_PATH, { websocket: true }, (ws: WebSocket) => {
    const session = new ConsoleSession(options, {
      sendText: (text) => ws.readyState === ws.OPEN && ws.send(text),
      sendBinary: (data) => ws.readyState === ws.OPEN && ws.send(data, { binary: true }),
      close: (code, reason) => ws.close(code, reason),
    });
    sessions.add(session);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) session.onBinary(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      else session.onText(data.toString('utf8'));
    });
    ws.on('close', () => {
      sessions.delete(session);
      session.onClose();
    });
    ws.on('error', () => ws.terminate());
  });

  app.addHook('preClose', async () => {
    for (const client of app.websocketServer.clients) client.close(1001, 'server shutting down');
    for (const session of sessions) session.onClose();
    sessions.clear();
  });
}

export const bridgePlugin = fp(bridge, { name: 'socket-lab-bridge', fastify: '5.x' });
