// The HTTP API: health, creating labs, a lab's netstat.

import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { LabRegistry } from '../lab/lab-registry.ts';
import type { LabNetwork } from '../net/lab-network.ts';
import { tooManyAttemptsMessage, type JoinLimiter } from '../lab/join-limiter.ts';

export interface ApiOptions {
  registry: LabRegistry;
  network: LabNetwork;
  revealAnswers(): boolean;
  joinLimiter: JoinLimiter;
}

async function api(app: FastifyInstance, options: ApiOptions): Promise<void> {
  if (!options.registry || !options.network || !options.joinLimiter) throw new Error('api plugin needs registry, network and joinLimiter');
  const { registry, network, joinLimiter } = options;

  app.get('/healthz', async () => ({ ok: true }));

  app.post('/api/labs', async (_req, reply) => {
    const lab = registry.create();
    return reply.code(201).send({ code: lab.code });
  });

  app.get<{ Params: { code: string } }>('/api/labs/:code', async (req, reply) => {
    if (!joinLimiter.allowed(req.ip)) {
      const seconds = joinLimiter.retryAfterSeconds(req.ip);
      return reply.code(429).header('retry-after', String(seconds)).send({ error: tooManyAttemptsMessage(seconds) });
    }
    const lab = registry.get(req.params.code);
    if (!lab) {
      joinLimiter.wrong(req.ip);
      return reply.code(404).send({ error: `there is no lab with the code ${req.params.code}` });
    }
    return { code: lab.code, devices: [...lab.devices.values()].map((d) => ({ id: d.id, address: d.address })) };
  });

  app.get<{ Params: { code: string } }>('/api/labs/:code/netstat', async (req, reply) => {
    const lab = registry.get(req.params.code);
    if (!lab) return reply.code(404).send({ error: `there is no lab with the code ${req.params.code}` });
    return network.netstat(lab.allSockets());
  });

  app.get('/api/settings', async () => ({ revealAnswers: options.revealAnswers() }));
}

export const apiPlugin = fp(api, { name: 'socket-lab-api', fastify: '5.x' });
