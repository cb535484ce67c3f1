// A lab worker's check of each request it serves: one for a lab of another worker is sent
// back to the browser as a redirect to the same URL on a new connection (307, Connection:
// close), which the front then hands to the right worker. That happens only when a browser
// reuses a kept-alive connection that the front handed here for another request (a static
// file, or another lab's page in the same browser); WebSockets always come on a connection of
// their own, so they are always routed by the front. Every answer says which worker gave it.

import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { labCodeOfTarget } from '../../shared/lab-routing.ts';
import type { ClassLabs } from '../teacher/class-labs.ts';
import { WORKER_HEADER } from './worker-messages.ts';

/** What a process is when it is one of the lab workers of --workers N. */
export interface WorkerRole {
  /** 0 .. workers-1. */
  index: number;
  /** Whether a lab is this worker's (shared/lab-routing.ts workerOfLab). */
  ownsLab(code: string): boolean;
  /** The classes' labs, gathered from every worker (server/workers/front-link.ts). */
  classLabs: ClassLabs;
  /** Makes a lab in a class on one of the workers (any: they take turns), giving its code. */
  createLab(classId: number): Promise<string | null>;
  /** The port the front listens on, for the teacher's join URLs. */
  publicPort: number;
}

export interface WorkerRoutingOptions {
  role: WorkerRole;
  /** Counted for the docs' measurements (server/workers/worker-main.ts logs them at debug). */
  redirected?: () => void;
}

async function workerRouting(app: FastifyInstance, options: WorkerRoutingOptions): Promise<void> {
  const { role } = options;
  if (!role || typeof role.ownsLab !== 'function' || !Number.isInteger(role.index)) throw new Error('worker routing plugin needs the worker role');
  const tag = `${role.index}/${process.pid}`;
  app.addHook('onRequest', async (req, reply) => {
    reply.header(WORKER_HEADER, tag);
    const code = labCodeOfTarget(req.url);
    if (code === null || role.ownsLab(code)) return;
    options.redirected?.();
    await reply.code(307).header('location', req.url).header('connection', 'close').header('cache-control', 'no-store').send();
  });
}

export const workerRoutingPlugin = fp(workerRouting, { name: 'socket-lab-worker-routing', fastify: '5.x' });
