// Builds the server: the lab registry and network, the bridge, the API and the front end.
// Tests build it in-process and listen on port 0.

import Fastify, { type FastifyInstance } from 'fastify';
import type { ServerConfig } from './config.ts';
import { LabRegistry } from './lab/lab-registry.ts';
import { LabNetwork } from './net/lab-network.ts';
import { bridgePlugin } from './bridge/bridge-plugin.ts';
import { apiPlugin } from './http/api-plugin.ts';
import { webPlugin } from './http/web-plugin.ts';
import { syncPlugin } from './bridge/sync-plugin.ts';
import type { SyncChannel } from './bridge/sync-channel.ts';

export interface SocketLab {
  app: FastifyInstance;
  registry: LabRegistry;
  network: LabNetwork;
}

export async function buildApp(config: ServerConfig, logger = false): Promise<SocketLab> {
  const app = Fastify({ logger, bodyLimit: 64 * 1024 });
  const registry = new LabRegistry();
  const network = new LabNetwork(config);
  const revealAnswers = () => config.revealAnswers;
  const channels = new Map<string, SyncChannel>();
  await app.register(apiPlugin, { registry, network, revealAnswers });
  await app.register(bridgePlugin, { registry, network, channels, revealAnswers });
  await app.register(syncPlugin, { channels });
  if (config.webRoot) await app.register(webPlugin, { root: config.webRoot, revealAnswers });
  return { app, registry, network };
}
