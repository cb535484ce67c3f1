// @fastify/websocket routes every upgrade request through Fastify and, on a GET route that
// has no WebSocket handler (a page, /healthz), completes the upgrade and then closes the
// socket (1005): a client learns nothing, and the server did a handshake it never meant to.
// Such a request (req.ws: @fastify/websocket's mark of an upgrade) is answered 404 here,
// before any upgrade; WebSocket routes are unaffected.

import type { FastifyInstance } from 'fastify';

const NOT_A_SOCKET = 'not found: there is no WebSocket at this address\n';

/** Call before the WebSocket routes are declared, so that they are seen as such. */
export function refuseUpgradesWithoutSocketRoute(app: FastifyInstance): void {
  const socketRoutes = new Set<string>();
  app.addHook('onRoute', (route) => {
    if (route.websocket || route.wsHandler) socketRoutes.add(route.url);
  });
  app.addHook('onRequest', async (req, reply) => {
    if (!req.ws || socketRoutes.has(req.routeOptions.url ?? '')) return;
    await reply.code(404).type('text/plain; charset=utf-8').send(NOT_A_SOCKET);
  });
}
