// The HTTP API: health, creating labs (in the default class, or in the class a join page
// names: {"class": SLUG}), a lab's netstat.
// A lab's code is its key: whoever has it may join the lab as a device and run `netstat` in a
// console, so `GET /api/labs/CODE/netstat` answers with the code alone (the contract in the
// design), and wrong codes count against the join limit like any other try. A device that says
// who it is (its key in the x-device-key header or ?device=) sees only its own lab: another
// lab's netstat answers it 404, exactly as for a code that does not exist. The teacher's token
// reads every lab.

import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { LabRegistry } from '../lab/lab-registry.ts';
import type { LabNetwork } from '../net/lab-network.ts';
import type { JoinLimiter } from '../lab/join-limiter.ts';
import { LAB_CODE_PARAMS, labByCode, noSuchLab } from './lab-by-code.ts';
import { answerBadInput } from './route-validation.ts';
import { bearerToken, tokenMatches } from '../teacher/teacher-auth.ts';
import { DEFAULT_CLASS_ID } from '../store/lab-store.ts';

export interface ApiOptions {
  registry: LabRegistry;
  network: LabNetwork;
  revealAnswers(): boolean;
  joinLimiter: JoinLimiter;
  /** The teacher's token, which may read every lab's netstat. */
  teacherToken: string;
  /** The id of the class of a join page's /class/SLUG, or undefined when there is none. */
  classBySlug(slug: string): number | undefined | Promise<number | undefined>;
  /**
   * Makes a new lab in a class and gives its code; absent: in this registry. A lab worker
   * (--workers N) has it made by any worker, so that labs spread over all of them whichever
   * connection asked.
   */
  createLab?: (classId: number) => Promise<string | null>;
}

/** The header a device sends its key in (the same key as in the bridge's hello). */
export const DEVICE_KEY_HEADER = 'x-device-key';

/** ?device=KEY, the same as the header (given twice, the first counts). */
const NETSTAT_QUERY = {
  type: 'object',
  properties: { device: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] } },
} as const;

function firstValue(value: unknown): string | null {
  if (Array.isArray(value)) return firstValue(value[0]);
  return typeof value === 'string' && value !== '' ? value : null;
}

async function api(app: FastifyInstance, options: ApiOptions): Promise<void> {
  if (!options.registry || !options.network || !options.joinLimiter || typeof options.teacherToken !== 'string' || options.teacherToken === '' || typeof options.classBySlug !== 'function') {
    throw new Error('api plugin needs registry, network, joinLimiter, teacherToken and classBySlug');
  }
  const { registry, network, joinLimiter, teacherToken } = options;

  app.get('/healthz', async () => ({ ok: true }));

  // No body (as before classes): the default class. A body's class must exist: a lab made in
  // the wrong class would be one its teacher never sees.
  app.post<{ Body: unknown }>('/api/labs', async (req, reply) => {
    const body = req.body as { class?: unknown } | undefined | null;
    let classId = DEFAULT_CLASS_ID;
    if (body !== undefined && body !== null && body.class !== undefined) {
      if (typeof body.class !== 'string') return reply.code(400).send({ error: 'class must be the name of a class in its join URL (/class/NAME)' });
      const found = await options.classBySlug(body.class);
      if (found === undefined) return reply.code(404).send({ error: `there is no class ${body.class}: ask your teacher for the class's address` });
      classId = found;
    }
    const code = options.createLab ? await options.createLab(classId) : (await registry.make(classId)).code;
    if (code === null) return reply.code(503).send({ error: 'no lab could be made just now; try again' });
    return reply.code(201).send({ code });
  });

  app.get<{ Params: { code: string } }>('/api/labs/:code', { schema: { params: LAB_CODE_PARAMS }, errorHandler: answerBadInput() }, async (req, reply) => {
    const lab = await labByCode(registry, joinLimiter, req, reply);
    if (!lab) return reply;
    return { code: lab.code, devices: [...lab.devices.values()].map((d) => ({ id: d.id, address: d.address })) };
  });

  const netstatRoute = { schema: { params: LAB_CODE_PARAMS, querystring: NETSTAT_QUERY }, errorHandler: answerBadInput() };
  app.get<{ Params: { code: string }; Querystring: { device?: string | string[] } }>('/api/labs/:code/netstat', netstatRoute, async (req, reply) => {
    const teacher = tokenMatches(bearerToken(req.headers.authorization), teacherToken);
    const lab = await labByCode(registry, joinLimiter, req, reply, teacher);
    if (!lab) return reply;
    const deviceKey = firstValue(req.headers[DEVICE_KEY_HEADER]) ?? firstValue(req.query.device);
    if (!teacher && deviceKey !== null && !lab.devices.has(deviceKey)) return reply.code(404).send(noSuchLab(req.params.code));
    return network.netstat(lab.allSockets());
  });

  app.get('/api/settings', async () => ({ revealAnswers: options.revealAnswers() }));
}

export const apiPlugin = fp(api, { name: 'socket-lab-api', fastify: '5.x' });
