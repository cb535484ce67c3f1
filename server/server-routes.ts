// The server's parts that do not depend on its store: the Fastify instance, the lab network,
// the bridge and every route. server/app.ts builds them on SQLite's store, and
// server/school/school-app.ts on the PostgreSQL database a school's instances share.

import Fastify, { type FastifyInstance } from 'fastify';
import type { ServerConfig } from './config.ts';
import type { Device, LabRegistry } from './lab/lab-registry.ts';
import { LabNetwork } from './net/lab-network.ts';
import { bridgePlugin } from './bridge/bridge-plugin.ts';
import { apiPlugin } from './http/api-plugin.ts';
import { webPlugin } from './http/web-plugin.ts';
import { teacherPlugin } from './http/teacher-plugin.ts';
import { checksPlugin, type ChecksOptions } from './http/checks-plugin.ts';
import { checkResultsPlugin, type CheckResultsOptions } from './http/check-results-plugin.ts';
import { TEACHER_API_PREFIX, teacherAuthPlugin } from './http/teacher-scope.ts';
import { AJV_OPTIONS } from './http/route-validation.ts';
import { syncPlugin } from './bridge/sync-plugin.ts';
import type { SyncChannel } from './bridge/sync-channel.ts';
import { SessionHub } from './bridge/session-hub.ts';
import type { ClassRegistry } from './classes/class-registry.ts';
import { classesPlugin } from './http/classes-plugin.ts';
import { classJoinPlugin } from './http/class-join-plugin.ts';
import { JoinLimiter } from './lab/join-limiter.ts';
import type { LabRetention } from './lab/lab-retention.ts';
import type { WorkerRole } from './workers/worker-routing-plugin.ts';
import type { ClassLabs, LocalLabsSources } from './teacher/class-labs.ts';

export function newFastify(config: ServerConfig): FastifyInstance {
  return Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: 64 * 1024,
    ajv: AJV_OPTIONS,
    // Behind HAProxy every request comes from HAProxy: its X-Forwarded-For says which computer
    // sent it (req.ip), for the wrong-code limit. Only from the proxies named (--trust-proxy).
    ...(config.trustProxy.length > 0 ? { trustProxy: config.trustProxy } : {}),
  });
}

export interface ServerParts {
  registry: LabRegistry;
  classes: ClassRegistry;
  retention: LabRetention;
  /** Where Check results are written and read (SQLite's LabStore, or the shared database). */
  checkStore: ChecksOptions['store'] & CheckResultsOptions['store'];
  now: () => number;
  worker?: WorkerRole;
  /** Where the teacher's API finds the labs: a lab worker's gathered ones, or built from this process's. */
  classLabs?: ClassLabs | ((local: LocalLabsSources) => ClassLabs);
  deviceOnline?: (device: Device, online: boolean) => void;
}

/** The network, the bridge and every route, on either store. */
export async function registerServer(app: FastifyInstance, config: ServerConfig, parts: ServerParts): Promise<{ network: LabNetwork; hub: SessionHub }> {
  const { registry, classes, retention, now } = parts;
  const options = { worker: parts.worker };
  // Once the server is ready (so a build that fails leaves no timer), until it closes.
  app.addHook('onReady', async () => retention.start());
  app.addHook('onClose', async () => retention.close());
  const network = new LabNetwork(config);
  // The server's own port is never a destination of the --allow list (server/net/own-listeners.ts).
  network.ownListeners.add(app.server);
  // A lab worker's own server is on a loopback port nobody is sent to; students' port is the front's.
  if (options.worker) network.ownListeners.addPort(options.worker.publicPort);
  // A lab's answers are revealed by its class's switch.
  const revealAnswers = (labCode: string) => classes.revealed(registry.get(labCode)?.classId ?? classes.defaultClass.id);
  const channels = new Map<string, SyncChannel>();
  const hub = new SessionHub();
  const joinLimiter = new JoinLimiter(config.joinAttemptsPerMinute);
  await app.register(apiPlugin, {
    registry,
    network,
    // GET /api/settings: the default class's (the one a server without classes has).
    revealAnswers: () => classes.defaultClass.revealAnswers,
    joinLimiter,
    teacherToken: config.teacherToken,
    classBySlug: async (slug) => (await classes.lookUpBySlug(slug))?.id,
    createLab: options.worker?.createLab,
  });
  await app.register(classJoinPlugin, { classes });
  await app.register(bridgePlugin, {
    registry,
    network,
    channels,
    hub,
    joinLimiter,
    revealAnswers,
    pingIntervalMs: config.pingIntervalMs,
    idleTimeoutMs: config.idleTimeoutMs,
    limits: config.limits,
    ownsLab: options.worker?.ownsLab,
    deviceOnline: parts.deviceOnline,
  });
  // After the bridge, whose @fastify/websocket it uses (a declared dependency).
  await app.register(syncPlugin, { channels });
  await app.register(checksPlugin, { registry, store: parts.checkStore, joinLimiter });
  const labSources: LocalLabsSources = { registry, network, hub, labRetentionMs: config.labRetentionMs };
  const classLabs = typeof parts.classLabs === 'function' ? parts.classLabs(labSources) : parts.classLabs;
  // The teacher's API: one scope whose onRequest hook checks the token before any of its
  // routes runs. Every teacher route is registered here (its plugin depends on the hook's).
  await app.register(
    async (teacherApi) => {
      await teacherApi.register(teacherAuthPlugin, { token: config.teacherToken, classes });
      await teacherApi.register(teacherPlugin, {
        host: config.host,
        registry,
        network,
        classes,
        hub,
        labRetentionMs: config.labRetentionMs,
        now,
        classLabs,
        workersLabs: options.worker?.classLabs,
        publicPort: options.worker?.publicPort,
      });
      await teacherApi.register(checkResultsPlugin, { store: parts.checkStore });
      await teacherApi.register(classesPlugin, { host: config.host, classes, registry, labCounts: classLabs ? async () => classLabs.labCounts() : undefined, publicPort: options.worker?.publicPort });
    },
    { prefix: TEACHER_API_PREFIX },
  );
  // The answers' chunk is one file for every class: served once any class has them revealed
  // (a class whose switch is off still neither lists nor runs them: the bridge refuses).
  if (config.webRoot) await app.register(webPlugin, { root: config.webRoot, revealAnswers: () => classes.anyRevealed() });
  return { network, hub };
}
