// The lab bridge: one WebSocket per console at /ws, speaking shared/bridge-protocol.ts.

import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { ConsoleSession, type SessionContext } from './console-session.ts';
import type { SessionHub } from './session-hub.ts';
import { Heartbeat } from './heartbeat.ts';
import { refuseUpgradesWithoutSocketRoute } from './upgrade-routes.ts';
import { refuseOtherOrigins } from './same-origin.ts';
import { LAB_QUERY_PARAM } from '../../shared/lab-routing.ts';
import { CLOSE_CODES, MAX_CONTROL_MESSAGE_BYTES } from '../../shared/bridge-protocol.ts';
import { MAX_DATA_FRAME_PAYLOAD_BYTES, PAGE_FRAME_HEADER_BYTES } from '../../shared/data-frame.ts';

export const BRIDGE_PATH = '/ws';
/** How long shutdown waits for pages to answer the WebSocket close. */
const CLOSE_GRACE_MS = 1000;
/** The WebSocket layer refuses any frame larger than the protocol allows. */
const MAX_FRAME_BYTES = Math.max(MAX_CONTROL_MESSAGE_BYTES, PAGE_FRAME_HEADER_BYTES + MAX_DATA_FRAME_PAYLOAD_BYTES);

export interface BridgeOptions extends SessionContext {
  hub: SessionHub;
  /** How often each console is pinged (server/bridge/heartbeat.ts). */
  pingIntervalMs: number;
  /** A console that sent nothing for this long is closed; 0: never. */
  idleTimeoutMs: number;
}

async function bridge(app: FastifyInstance, options: BridgeOptions): Promise<void> {
  if (!options.registry || !options.network || !options.channels || !options.hub || !options.joinLimiter || typeof options.revealAnswers !== 'function') {
    throw new Error('bridge plugin needs registry, network, channels, hub, joinLimiter and revealAnswers');
  }
  if (!(options.pingIntervalMs > 0) || !(options.idleTimeoutMs >= 0)) {
    throw new Error('bridge plugin needs pingIntervalMs > 0 and idleTimeoutMs >= 0');
  }
  const { hub } = options;
  const heartbeat = new Heartbeat(options.pingIntervalMs, options.idleTimeoutMs);
  const idleReason = `closed after ${Math.round(options.idleTimeoutMs / 60_000)} minutes with nothing sent`;
  /** Shutdown, in place of @fastify/websocket's (which closes pages with no code): every
   * console's programs end, and every page hears 1001 'server shutting down' and has a
   * moment to answer, so it knows the server went away rather than seeing the line cut. */
  async function goodbye(wss: FastifyInstance['websocketServer']): Promise<void> {
    heartbeat.stop();
    for (const session of [...hub.all()]) {
      hub.remove(session);
      (session as ConsoleSession).onClose();
    }
    const closed = [...wss.clients].map(
      (client) =>
        new Promise<void>((resolve) => {
          client.once('close', () => resolve());
          client.close(1001, 'server shutting down');
        }),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(closed), new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)))]);
    clearTimeout(timer);
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }
  await app.register(websocket, {
    options: { maxPayload: MAX_FRAME_BYTES },
    preClose(done) {
      goodbye(app.websocketServer).then(() => done(), () => done());
    },
    // A frame over maxPayload or text that is not UTF-8 makes ws start the closing handshake
    // with its code (1009, 1007) and then emit 'error': leave that close to finish, so the
    // page learns why. (The default handler terminated the socket, so the close frame was
    // often lost and the page saw 1006.) Anything else still ends the connection at once.
    errorHandler: (_error, socket) => {
      if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.terminate();
    },
  });

  refuseUpgradesWithoutSocketRoute(app);

  // The Origin check runs as an onRequest hook: it answers 403 before @fastify/websocket's
  // handler would upgrade the connection.
  app.get(BRIDGE_PATH, { websocket: true, onRequest: refuseOtherOrigins }, (ws: WebSocket, req: FastifyRequest) => {
    const session = new ConsoleSession(
      options,
      {
        sendText: (text) => ws.readyState === ws.OPEN && ws.send(text),
        sendBinary: (data) => ws.readyState === ws.OPEN && ws.send(data, { binary: true }),
        close: (code, reason) => ws.close(code, reason),
      },
      String(req.headers['user-agent'] ?? '').slice(0, 300),
      req.ip,
      labQuery(req),
    );
    hub.add(session);
    const beating = {
      ping: () => ws.ping(),
      terminate: () => ws.terminate(),
      closeIdle: () => session.disconnect(CLOSE_CODES.IDLE, idleReason),
    };
    const unwatch = heartbeat.watch(beating);
    ws.on('pong', () => heartbeat.pong(beating));
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      heartbeat.message(beating);
      if (isBinary) session.onBinary(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      else session.onText(data.toString('utf8'));
    });
    ws.on('close', () => {
      unwatch();
      hub.remove(session);
      session.onClose();
    });
  });
}

/** The lab the URL names (/ws?lab=CODE), as given (the hello must name the same), or null. */
function labQuery(req: FastifyRequest): string | null {
  const lab = (req.query as Record<string, unknown> | undefined)?.[LAB_QUERY_PARAM];
  return typeof lab === 'string' && lab !== '' ? lab.slice(0, 64) : null;
}

// Named, so that plugins that need @fastify/websocket (registered here) can depend on it.
export const bridgePlugin = fp(bridge, { name: 'socket-lab-bridge', fastify: '5.x' });
