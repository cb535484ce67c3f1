// The teacher's API: the class snapshot, its live feed (Server-Sent Events), the switch that
// reveals the worksheet's answers, and closing a lab. Registered in the teacher's scope
// (server/http/teacher-scope.ts), whose hook has checked the token before any of these runs
// and said which class the request is about: each route sees that class's labs alone.

import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { LabRegistry } from '../lab/lab-registry.ts';
import type { LabNetwork } from '../net/lab-network.ts';
import type { SessionHub } from '../bridge/session-hub.ts';
import type { ClassRegistry, SchoolClass } from '../classes/class-registry.ts';
import { classJoinUrl, serverBaseUrls } from '../classes/class-urls.ts';
import { classSnapshot, labView } from '../teacher/class-snapshot.ts';
import { localClassLabs, whenReady, type ClassLabs, type Maybe } from '../teacher/class-labs.ts';
import type { TeacherSnapshot } from '../../shared/teacher-snapshot.ts';
import { SnapshotFeed, type FeedSubscriber } from '../teacher/snapshot-feed.ts';
import { TEACHER_AUTH_PLUGIN, teacherOf } from './teacher-scope.ts';
import { LAB_CODE_PARAMS, noSuchLab } from './lab-by-code.ts';
import { answerBadInput } from './route-validation.ts';

/** How often the live feed looks for changes while a teacher's tab listens. */
const FEED_INTERVAL_MS = 1000;
/** A comment on a quiet feed this often, so nothing between cuts an idle line. */
const FEED_KEEP_ALIVE_MS = 15_000;
/** Teacher's tabs listening at once, per class: a handful is normal; more is a tab left open in a loop. */
const MAX_FEED_STREAMS = 16;
/** What EventSource waits before reconnecting by itself after the line drops. */
const FEED_RETRY_MS = 2000;

export interface TeacherOptions {
  /** The address served on (config.host), for the class join URLs. */
  host: string;
  registry: LabRegistry;
  network: LabNetwork;
  classes: Pick<ClassRegistry, 'switchReveal'>;
  hub: SessionHub;
  /** --lab-retention in ms (0: labs are kept), for when an unused lab goes. */
  labRetentionMs: number;
  /** The server's clock (tests move it). */
  now?: () => number;
  /** Where the labs are; absent: this process's (registry, network, hub). A lab worker gathers them from every worker. */
  classLabs?: ClassLabs;
  /** With --workers N: the labs of every worker of this instance (not of other instances), for one lab's card. */
  workersLabs?: ClassLabs;
  /** The port students connect to, for the join URLs; absent: this server's own. */
  publicPort?: number;
}

const REVEAL_BODY = {
  type: 'object',
  properties: { revealAnswers: { type: 'boolean' } },
  required: ['revealAnswers'],
} as const;

/** EventSource cannot send headers: the feed alone also takes the token as ?token=. (?class= is the scope hook's.) */
const EVENTS_QUERY = { type: 'object', properties: { token: { type: 'string' }, class: { type: 'string' } } } as const;

async function teacher(app: FastifyInstance, options: TeacherOptions): Promise<void> {
  if (typeof options.host !== 'string' || !options.registry || !options.network || !options.classes || !options.hub || !(options.labRetentionMs >= 0)) {
    throw new Error('teacher plugin needs host, registry, network, classes, hub and labRetentionMs');
  }
  const { registry, network, classes, hub, labRetentionMs } = options;
  const now = options.now ?? Date.now;
  const classLabs = options.classLabs ?? localClassLabs({ registry, network, hub, labRetentionMs });

  const joinUrls = (): string[] => serverBaseUrls(options.host, app.server, options.publicPort);
  const build = (schoolClass: SchoolClass): Maybe<TeacherSnapshot> => {
    const at = now();
    const urls = joinUrls().map((base) => classJoinUrl(base, schoolClass));
    return whenReady(classLabs.labs(at, schoolClass.id), (labs) => classSnapshot(schoolClass, urls, labs, at));
  };
  // One feed per class whose teacher's page is open: each sends its own class's snapshot.
  const feeds = new Map<number, SnapshotFeed>();
  const feedOf = (schoolClass: SchoolClass): SnapshotFeed => {
    let feed = feeds.get(schoolClass.id);
    if (!feed) {
      feed = new SnapshotFeed({ build: () => build(schoolClass), intervalMs: FEED_INTERVAL_MS, keepAliveMs: FEED_KEEP_ALIVE_MS, maxSubscribers: MAX_FEED_STREAMS });
      feeds.set(schoolClass.id, feed);
    }
    return feed;
  };
  const closeFeeds = async () => {
    for (const feed of feeds.values()) feed.close();
  };
  // Before the server waits for its connections to end: the feed's streams never end by themselves.
  app.addHook('preClose', closeFeeds);
  app.addHook('onClose', closeFeeds);

  app.get('/snapshot', async (req) => build(teacherOf(req).class));

  app.get('/events', { config: { teacherTokenInQuery: true }, schema: { querystring: EVENTS_QUERY }, errorHandler: answerBadInput() }, (req, reply) => {
    const feed = feedOf(teacherOf(req).class);
    if (feed.size >= MAX_FEED_STREAMS) return reply.code(503).send({ error: 'too many teacher pages are open; close one' });
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: ${FEED_RETRY_MS}\n\n`);
    // A slow line gets the latest snapshot when it drains, never a growing queue of old ones.
    let waiting: string | null = null;
    let blocked = false;
    const write = (text: string) => {
      if (blocked) {
        waiting = text;
        return;
      }
      blocked = !res.write(text);
    };
    res.on('drain', () => {
      blocked = false;
      const next = waiting;
      waiting = null;
      if (next !== null) write(next);
    });
    const subscriber: FeedSubscriber = {
      snapshot: (json) => write(`event: snapshot\ndata: ${json}\n\n`),
      keepAlive: () => write(': still here\n\n'),
      end: () => res.end(),
    };
    req.raw.on('close', () => feed.unsubscribe(subscriber));
    if (!feed.subscribe(subscriber)) res.end();
  });

  app.post<{ Body: { revealAnswers: boolean } }>(
    '/reveal',
    { schema: { body: REVEAL_BODY }, errorHandler: answerBadInput('send {"revealAnswers": true} or {"revealAnswers": false}') },
    async (req) => {
      const on = req.body.revealAnswers;
      const schoolClass = teacherOf(req).class;
      await classes.switchReveal(schoolClass.id, on);
      // To the consoles of this class's labs alone (on every lab worker): another class's switch is its own.
      await classLabs.revealed(schoolClass.id, on);
      feeds.get(schoolClass.id)?.poke();
      return { revealAnswers: on };
    },
  );

  // One lab's card, of a lab this process holds, or with --workers N one of the request's class
  // that another worker holds (never read from the database: looking must not move a lab).
  // Another instance of a school fetches its teacher's cards of the labs served here with it,
  // naming the class (?class=ID, with the administrator's token): server/school/remote-labs.ts.
  app.get<{ Params: { code: string } }>('/labs/:code', { schema: { params: LAB_CODE_PARAMS }, errorHandler: answerBadInput() }, async (req, reply) => {
    const teacher = teacherOf(req);
    const at = now();
    const lab = registry.get(req.params.code);
    if (lab) {
      if (teacher.role === 'class' && lab.classId !== teacher.class.id) return reply.code(404).send(noSuchLab(req.params.code));
      return labView(lab, { labRetentionMs, netstat: network.netstat.bind(network) }, at);
    }
    const code = req.params.code.toUpperCase();
    const held = options.workersLabs ? (await options.workersLabs.labs(at, teacher.class.id)).find((l) => l.code === code) : undefined;
    return held ?? reply.code(404).send(noSuchLab(req.params.code));
  });

  app.delete<{ Params: { code: string } }>('/labs/:code', { schema: { params: LAB_CODE_PARAMS }, errorHandler: answerBadInput() }, async (req, reply) => {
    const teacher = teacherOf(req);
    // The administrator may close any class's lab; a class's teacher only its own (another
    // class's answers as a code that does not exist: nothing tells it the lab is there).
    const classId = teacher.role === 'class' ? teacher.class.id : null;
    if (!(await classLabs.closeLab(req.params.code, classId))) return reply.code(404).send({ error: `there is no lab with the code ${req.params.code}` });
    // Every feed: the administrator may have closed a lab of a class other than the one it looks at.
    for (const feed of feeds.values()) feed.poke();
    return reply.code(204).send();
  });
}

export const teacherPlugin = fp(teacher, { name: 'socket-lab-teacher', fastify: '5.x', dependencies: [TEACHER_AUTH_PLUGIN] });
