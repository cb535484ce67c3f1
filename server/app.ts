// Builds the server: the lab registry and network, the bridge, the API and the front end.
// Tests build it in-process and listen on port 0. The store is SQLite's file in --data, or with
// --database the PostgreSQL database several instances share (server/school/: the registry
// reads it on a miss, the instances tell each other what happens through it).

import Fastify, { type FastifyInstance } from 'fastify';
import type { ServerConfig } from './config.ts';
import { LabRegistry } from './lab/lab-registry.ts';
import { LabNetwork } from './net/lab-network.ts';
import { bridgePlugin } from './bridge/bridge-plugin.ts';
import { apiPlugin } from './http/api-plugin.ts';
import { webPlugin } from './http/web-plugin.ts';
import { teacherPlugin } from './http/teacher-plugin.ts';
import { checksPlugin } from './http/checks-plugin.ts';
import { checkResultsPlugin } from './http/check-results-plugin.ts';
import { TEACHER_API_PREFIX, teacherAuthPlugin } from './http/teacher-scope.ts';
import { AJV_OPTIONS } from './http/route-validation.ts';
import { syncPlugin } from './bridge/sync-plugin.ts';
import type { SyncChannel } from './bridge/sync-channel.ts';
import { LabStore } from './store/lab-store.ts';
import { SessionHub } from './bridge/session-hub.ts';
import { ClassRegistry } from './classes/class-registry.ts';
import { classesPlugin } from './http/classes-plugin.ts';
import { classJoinPlugin } from './http/class-join-plugin.ts';
import { JoinLimiter } from './lab/join-limiter.ts';
import { LabRetention } from './lab/lab-retention.ts';
import { instanceHeaderPlugin } from './http/instance-header.ts';
import { workerRoutingPlugin, type WorkerRole } from './workers/worker-routing-plugin.ts';
import { SchoolLink } from './school/school-link.ts';
import { RemoteLabs } from './school/remote-labs.ts';
import { schoolClassLabs } from './school/school-class-labs.ts';
import { schoolPlugin } from './school/school-plugin.ts';
import type { ClassLabs, LocalLabsSources } from './teacher/class-labs.ts';
import type { ChecksOptions } from './http/checks-plugin.ts';
import type { CheckResultsOptions } from './http/check-results-plugin.ts';
import type { Device } from './lab/lab-registry.ts';

export interface SocketLab {
  app: FastifyInstance;
  registry: LabRegistry;
  network: LabNetwork;
  /** Labs, devices and settings kept across restarts (in memory when config.dataDir is null); null with --database (see `school`). */
  store: LabStore | null;
  /** With --database: the shared PostgreSQL store and the events between instances; null: SQLite, alone. */
  school: SchoolLink | null;
  /** Every live console, to reach the pages (the reveal switch, closing a lab). */
  hub: SessionHub;
  /** The classes (the default one, and those the administrator made), each with its teacher and reveal switch. */
  classes: ClassRegistry;
  /** The sweep that removes labs unused for --lab-retention hours (tests call sweep() themselves). */
  retention: LabRetention;
}

export interface BuildOptions {
  /**
   * The clock of new labs and devices, the teacher's view of them and the sweep; tests move it
   * on by hours. The bridge stamps consoles opening and closing with real time, which a
   * clock moved forward still works with: a device's last sighting never moves back.
   */
  now?: () => number;
  /** With --workers N: this process is one lab worker (server/workers/worker-main.ts). */
  worker?: WorkerRole;
}

/** Throws StoreError (from server/store) when the data folder or its database cannot be used. */
export async function buildApp(config: ServerConfig, options: BuildOptions = {}): Promise<SocketLab> {
  const now = options.now ?? Date.now;
  if (config.database) return buildSchoolApp(config, config.database.url, now, options.worker);
  // First, so a corrupt or unwritable data folder stops start-up before anything listens.
  const store = LabStore.open(config.dataDir);
  let registry: LabRegistry;
  let classes: ClassRegistry;
  try {
    // The default class's reveal switch is stored: --reveal-answers turns it on; without it, it stays as it was.
    if (config.revealAnswers) store.setRevealAnswers(true);
    // Lab workers share the store: each reads classes another one made (class-registry.ts).
    classes = new ClassRegistry(store, now, options.worker !== undefined);
    registry = new LabRegistry(store, now, options.worker?.ownsLab);
  } catch (err) {
    store.close();
    throw err;
  }
  const app = newFastify(config);
  // First, so that every answer (errors and upgrades too) says which instance gave it.
  await app.register(instanceHeaderPlugin, { instanceName: config.instanceName });
  // Next, so that its hook runs before every route's (a lab of another worker is redirected).
  if (options.worker) await app.register(workerRoutingPlugin, { role: options.worker });
  app.addHook('onClose', async () => store.close());
  const retention = new LabRetention({
    registry,
    store,
    retentionMs: config.labRetentionMs,
    now,
    removed: (lab, at) => app.log.info(`lab ${lab.code} removed: no console for ${Math.round((at - lab.lastActive) / 60_000)} min`),
    failed: (err) => app.log.error({ err }, 'the lab sweep could not write the database; it tries again in a minute'),
  });
  const lab = await registerServer(app, config, { registry, classes, retention, checkStore: store, classLabs: options.worker?.classLabs, worker: options.worker, now });
  return { ...lab, app, registry, store, school: null, classes, retention };
}

/**
 * --database: one instance of a school on the PostgreSQL database it shares with the others
 * (docs/scaling.md, "Several machines"); or one lab worker of such an instance (--workers N).
 */
async function buildSchoolApp(config: ServerConfig, url: string, now: () => number, worker?: WorkerRole): Promise<SocketLab> {
  // Logs go to the app's logger once it exists; before, only start-up's errors, which throw.
  let warn = (_message: string, _err?: unknown): void => {};
  // First, so a database that cannot be used stops start-up before anything listens.
  const link = await SchoolLink.open(url, config.instanceName, { warn: (message, err) => warn(message, err) });
  let classes: ClassRegistry;
  try {
    if (config.revealAnswers) await link.store.setRevealAnswers(true);
    classes = await ClassRegistry.openShared(link.store, now);
  } catch (err) {
    await link.close().catch(() => {});
    throw err;
  }
  const registry = new LabRegistry(null, now, worker?.ownsLab, { store: link.store, instance: config.instanceName, publish: (event) => link.publish(event) });
  const app = newFastify(config);
  warn = (message, err) => app.log.warn({ err }, message);
  await app.register(instanceHeaderPlugin, { instanceName: config.instanceName });
  if (worker) await app.register(workerRoutingPlugin, { role: worker });
  const retention = new LabRetention({
    registry,
    store: { flushSeen: () => {} },
    retentionMs: config.labRetentionMs,
    now,
    failed: (err) => app.log.error({ err }, 'the lab sweep could not write the database; it tries again in a minute'),
    shared: {
      store: link.store,
      ended(codes, at) {
        for (const code of codes) {
          if (registry.forget(code)) app.log.info(`lab ${code} removed: no console for the retention time`);
          link.publish({ type: 'lab-removed', lab: code, instance: config.instanceName });
        }
        void at;
      },
    },
  });
  const remote = new RemoteLabs({ link, adminToken: config.teacherToken, labRetentionMs: config.labRetentionMs });
  const checkStore = {
    checkResults: (classId?: number) => link.store.checkResults(classId),
    async saveCheckResult(result: Parameters<typeof link.store.saveCheckResult>[0]) {
      await link.store.saveCheckResult(result);
      link.publish({ type: 'check-saved', lab: result.lab, instance: config.instanceName, device: result.deviceId, question: result.question });
    },
  };
  const parts = await registerServer(app, config, {
    registry,
    classes,
    retention,
    checkStore,
    now,
    worker,
    classLabs: (local) => schoolClassLabs({ ...local, link, remote, gathered: worker?.classLabs }),
    deviceOnline: (device, online) => link.publish({ type: online ? 'device-joined' : 'device-left', lab: device.lab.code, instance: config.instanceName, device: device.id }),
  });
  // Its onClose (closing the database) after every plugin's that still writes to it.
  await app.register(schoolPlugin, { link, registry, hub: parts.hub, classes, remote, host: config.host, instanceUrl: config.instanceUrl, publicPort: worker?.publicPort });
  return { ...parts, app, registry, store: null, school: link, classes, retention };
}

function newFastify(config: ServerConfig): FastifyInstance {
  return Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: 64 * 1024,
    ajv: AJV_OPTIONS,
    // Behind HAProxy every request comes from HAProxy: its X-Forwarded-For says which computer
    // sent it (req.ip), for the wrong-code limit. Only from the proxies named (--trust-proxy).
    ...(config.trustProxy.length > 0 ? { trustProxy: config.trustProxy } : {}),
  });
}

interface ServerParts {
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
async function registerServer(app: FastifyInstance, config: ServerConfig, parts: ServerParts): Promise<{ network: LabNetwork; hub: SessionHub }> {
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
