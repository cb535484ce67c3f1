// Which instance answered: with several behind HAProxy (deploy/haproxy.cfg), every answer,
// WebSocket upgrades included, carries this instance's --instance-name. A person debugging the
// routing reads it in the browser's network panel; tests/haproxy-routing.test.ts tells the
// instances apart by it. It says nothing a visitor could not learn by asking twice.

import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

export const INSTANCE_HEADER = 'x-socket-lab-instance';

export interface InstanceHeaderOptions {
  instanceName: string;
}

async function instanceHeader(app: FastifyInstance, options: InstanceHeaderOptions): Promise<void> {
  if (typeof options.instanceName !== 'string' || options.instanceName === '') throw new Error('instance header plugin needs instanceName');
  const { instanceName } = options;
  app.addHook('onRequest', async (_req, reply) => {
    reply.header(INSTANCE_HEADER, instanceName);
  });
  // A WebSocket's 101 answer is written by the ws library, not by a reply: its server's
  // 'headers' event is where a header joins it (the bridge registers it, before onReady).
  app.addHook('onReady', async () => {
    const wss = (app as { websocketServer?: { on(event: 'headers', listener: (headers: string[]) => void): void } }).websocketServer;
    wss?.on('headers', (headers) => headers.push(`X-Socket-Lab-Instance: ${instanceName}`));
  });
}

export const instanceHeaderPlugin = fp(instanceHeader, { name: 'socket-lab-instance-header', fastify: '5.x' });
