// The teacher's API is one Fastify scope under /api/teacher (server/app.ts registers it):
// this plugin adds the scope's onRequest hook, which refuses a request without the teacher's
// token (server/teacher/teacher-auth.ts) before anything else runs. Every teacher route is
// registered in that scope, by a plugin that declares this one as a dependency, so a teacher
// route cannot be registered where the token is not checked.

import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken, tokenMatches } from '../teacher/teacher-auth.ts';

export const TEACHER_API_PREFIX = '/api/teacher';

/** The name teacher route plugins give in `dependencies`. */
export const TEACHER_AUTH_PLUGIN = 'socket-lab-teacher-auth';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route also takes the token as ?token= (EventSource cannot send headers). */
    teacherTokenInQuery?: boolean;
  }
}

export interface TeacherAuthOptions {
  /** The teacher's token (config.teacherToken). */
  token: string;
}

const UNAUTHORIZED = { error: "the teacher's token is missing or wrong: open the teacher's URL printed at start-up" };

async function teacherAuth(app: FastifyInstance, options: TeacherAuthOptions): Promise<void> {
  if (typeof options.token !== 'string' || options.token === '') throw new Error('teacher auth plugin needs the teacher token');
  const { token } = options;
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    // Nothing of the teacher's is kept by a browser or a proxy, answers and refusals alike.
    reply.header('cache-control', 'no-store');
    let given = bearerToken(req.headers.authorization);
    if (given === null && req.routeOptions.config.teacherTokenInQuery) {
      const query = req.query as Record<string, unknown>;
      if (typeof query.token === 'string') given = query.token;
    }
    if (!tokenMatches(given, token)) return reply.code(401).header('www-authenticate', 'Bearer').send(UNAUTHORIZED);
  });
}

// fastify-plugin: the hook belongs to the scope this is registered in, not to a scope of its own.
export const teacherAuthPlugin = fp(teacherAuth, { name: TEACHER_AUTH_PLUGIN, fastify: '5.x' });
