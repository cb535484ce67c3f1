// The classes, for the teacher's page: who the token is (GET /api/teacher/me, any teacher),
// and for the administrator alone the list of classes with their teacher links and join URLs
// (GET /api/teacher/classes) and making one (POST /api/teacher/classes {"name"}). Registered
// in the teacher's scope (server/http/teacher-scope.ts), whose hook has resolved the token.

import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { MAX_CLASS_NAME_CHARS } from '../../shared/class-name.ts';
import type { ClassInfo, TeacherIdentity } from '../../shared/class-info.ts';
import { ClassRefusal, type ClassRegistry, type SchoolClass } from '../classes/class-registry.ts';
import { classJoinUrl, serverBaseUrls } from '../classes/class-urls.ts';
import type { LabRegistry } from '../lab/lab-registry.ts';
import { TEACHER_AUTH_PLUGIN, teacherOf } from './teacher-scope.ts';
import { answerBadInput } from './route-validation.ts';

export interface ClassesOptions {
  /** The address served on (config.host), for the join URLs and teacher links. */
  host: string;
  classes: ClassRegistry;
  registry: Pick<LabRegistry, 'all'>;
  /** How many labs each class has, gathered from every lab worker (--workers N); absent: counted in `registry`. */
  labCounts?: () => Map<number, number> | Promise<Map<number, number>>;
  /** The port students reach (--workers N: the front's); absent: this server's own. */
  publicPort?: number;
}

/** Generous: the name's own check (shared/class-name.ts) gives the reason a person reads. */
const NEW_CLASS_BODY = {
  type: 'object',
  properties: { name: { type: 'string', maxLength: MAX_CLASS_NAME_CHARS * 4 } },
  required: ['name'],
} as const;

async function classesRoutes(app: FastifyInstance, options: ClassesOptions): Promise<void> {
  if (typeof options.host !== 'string' || !options.classes || !options.registry) throw new Error('classes plugin needs host, classes and registry');
  const { classes, registry } = options;

  const labCounts = async (): Promise<Map<number, number>> => {
    if (options.labCounts) return options.labCounts();
    const counts = new Map<number, number>();
    for (const lab of registry.all()) counts.set(lab.classId, (counts.get(lab.classId) ?? 0) + 1);
    return counts;
  };

  const info = (c: SchoolClass, counts: Map<number, number>): ClassInfo => {
    const bases = serverBaseUrls(options.host, app.server, options.publicPort);
    return {
      id: c.id,
      name: c.name,
      isDefault: c.token === null,
      joinUrls: bases.map((base) => classJoinUrl(base, c)),
      // The default class's teacher is the administrator: its link is the one printed at start-up.
      teacherUrl: c.token === null ? null : `${bases[0]!}teacher?token=${c.token}`,
      revealAnswers: c.revealAnswers,
      labs: counts.get(c.id) ?? 0,
    };
  };

  app.get('/me', async (req): Promise<TeacherIdentity> => {
    const teacher = teacherOf(req);
    return { role: teacher.role, class: { id: teacher.class.id, name: teacher.class.name, isDefault: teacher.class.token === null } };
  });

  app.get('/classes', { config: { adminOnly: true } }, async () => {
    const counts = await labCounts();
    return (await classes.listAll()).map((c) => info(c, counts));
  });

  app.post<{ Body: { name: string } }>(
    '/classes',
    { config: { adminOnly: true }, schema: { body: NEW_CLASS_BODY }, errorHandler: answerBadInput('send {"name": "the class\'s name"}') },
    async (req, reply) => {
      try {
        // A new class has no labs yet.
        return reply.code(201).send(info(await classes.make(req.body.name), new Map()));
      } catch (err) {
        if (err instanceof ClassRefusal) return reply.code(err.status).send({ error: err.message });
        throw err;
      }
    },
  );
}

export const classesPlugin = fp(classesRoutes, { name: 'socket-lab-classes', fastify: '5.x', dependencies: [TEACHER_AUTH_PLUGIN] });
