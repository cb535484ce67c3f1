// The teacher's API is one Fastify scope under /api/teacher (server/app.ts registers it):
// this plugin adds the scope's onRequest hook, which resolves the token to who is asking
// before anything else runs, and refuses a request without a token it knows. Every teacher
// route is registered in that scope, by a plugin that declares this one as a dependency, so a
// teacher route cannot be registered where the token is not checked.
//
// Two kinds of token (server/classes/class-registry.ts):
// - the administrator's (--teacher-token): every class; a request names the class it is about
//   with ?class=ID (the default class when it does not). Routes marked `adminOnly` (making
//   and listing classes) take this one alone;
// - a class teacher's: that class only. Asking about another class (?class=) is refused 403;
//   its routes never see another class's labs (a lab of another class answers 404, as one
//   that does not exist).

import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken, tokenMatches } from '../teacher/teacher-auth.ts';
import type { ClassRegistry, SchoolClass } from '../classes/class-registry.ts';

export const TEACHER_API_PREFIX = '/api/teacher';

/** The name teacher route plugins give in `dependencies`. */
export const TEACHER_AUTH_PLUGIN = 'socket-lab-teacher-auth';

/** Who is asking, and about which class. */
export interface TeacherAccess {
  /** 'admin': the server's token (every class); 'class': one class's teacher. */
  role: 'admin' | 'class';
  /** The class this request is about: the teacher's own, or the one the administrator named. */
  class: SchoolClass;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route also takes the token as ?token= (EventSource cannot send headers). */
    teacherTokenInQuery?: boolean;
    /** Only the administrator's token may use the route. */
    adminOnly?: boolean;
  }
  interface FastifyRequest {
    /** Set by the teacher scope's hook before any teacher route runs. */
    teacher: TeacherAccess | null;
  }
}

export interface TeacherAuthOptions {
  /** The administrator's token (config.teacherToken). */
  token: string;
  classes: Pick<ClassRegistry, 'lookUpByToken' | 'lookUp' | 'defaultClass'>;
}

const UNAUTHORIZED = { error: "the teacher's token is missing or wrong: open the teacher's URL printed at start-up, or your class's teacher link" };
const ADMIN_ONLY = { error: "only the administrator's token (the one printed at start-up) may do this; a class's teacher link cannot" };
const OTHER_CLASS = { error: "this teacher link is for one class: it cannot see another class's labs" };
/** ?class=ID: a class's id, as the administrator's page sends it. */
const CLASS_ID = /^[1-9][0-9]{0,8}$/;

/** The teacher of the request (its hook has run): the routes' one way to read it. */
export function teacherOf(req: FastifyRequest): TeacherAccess {
  if (!req.teacher) throw new Error('a teacher route ran outside the teacher scope');
  return req.teacher;
}

async function teacherAuth(app: FastifyInstance, options: TeacherAuthOptions): Promise<void> {
  if (typeof options.token !== 'string' || options.token === '' || !options.classes) throw new Error('teacher auth plugin needs the teacher token and the classes');
  const { token, classes } = options;
  app.decorateRequest('teacher', null);
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    // Nothing of the teacher's is kept by a browser or a proxy, answers and refusals alike.
    reply.header('cache-control', 'no-store');
    const query = req.query as Record<string, unknown>;
    let given = bearerToken(req.headers.authorization);
    if (given === null && req.routeOptions.config.teacherTokenInQuery && typeof query.token === 'string') given = query.token;
    const admin = tokenMatches(given, token);
    const own = admin ? undefined : await classes.lookUpByToken(given);
    if (!admin && !own) return reply.code(401).header('www-authenticate', 'Bearer').send(UNAUTHORIZED);
    if (!admin && req.routeOptions.config.adminOnly) return reply.code(403).send(ADMIN_ONLY);
    const asked = query.class;
    let about: SchoolClass | undefined = own ?? classes.defaultClass;
    if (asked !== undefined) {
      if (typeof asked !== 'string' || !CLASS_ID.test(asked)) return reply.code(400).send({ error: 'class must be the number of a class' });
      if (own && Number(asked) !== own.id) return reply.code(403).send(OTHER_CLASS);
      about = await classes.lookUp(Number(asked));
      if (!about) return reply.code(404).send({ error: `there is no class ${asked}` });
    }
    req.teacher = { role: admin ? 'admin' : 'class', class: about };
  });
}

// fastify-plugin: the hook belongs to the scope this is registered in, not to a scope of its own.
export const teacherAuthPlugin = fp(teacherAuth, { name: TEACHER_AUTH_PLUGIN, fastify: '5.x' });
