// A class's join page (/class/SLUG, the page of web/page/home-page.ts) asks here for the
// class's name, to show it, and to say plainly when the address names no class. The name is
// not a secret: it is on the projector. Labs are made in the class by POST /api/labs with
// {"class": SLUG} (server/http/api-plugin.ts).

import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { PublicClass } from '../../shared/class-info.ts';
import type { ClassRegistry } from '../classes/class-registry.ts';
import { answerBadInput } from './route-validation.ts';

export interface ClassJoinOptions {
  classes: Pick<ClassRegistry, 'lookUpBySlug'>;
}

const SLUG_PARAMS = { type: 'object', properties: { slug: { type: 'string', maxLength: 64 } }, required: ['slug'] } as const;

async function classJoin(app: FastifyInstance, options: ClassJoinOptions): Promise<void> {
  if (!options.classes) throw new Error('class join plugin needs the classes');
  const { classes } = options;
  app.get<{ Params: { slug: string } }>('/api/classes/:slug', { schema: { params: SLUG_PARAMS }, errorHandler: answerBadInput() }, async (req, reply) => {
    const found = await classes.lookUpBySlug(req.params.slug);
    if (!found) return reply.code(404).send({ error: `there is no class ${req.params.slug}: ask your teacher for the class's address` });
    const answer: PublicClass = { name: found.name };
    return answer;
  });
}

export const classJoinPlugin = fp(classJoin, { name: 'socket-lab-class-join', fastify: '5.x' });
