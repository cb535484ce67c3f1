// Builds the server: the lab registry and network, the bridge, the API and the front end.
// Tests build it in-process and listen on port 0. The store is SQLite's file in --data, or with
// --database the PostgreSQL database several instances share (server/school/: the registry
// reads it on a miss, the instances tell each other what happens through it).

import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from './config.ts';
import { LabRegistry } from './lab/lab-registry.ts';
import { LabStore } from './store/lab-store.ts';
import { ClassRegistry } from './classes/class-registry.ts';
import { LabRetention } from './lab/lab-retention.ts';
import { instanceHeaderPlugin } from './http/instance-header.ts';
import { workerRoutingPlugin, type WorkerRole } from './workers/worker-routing-plugin.ts';
import type { LabNetwork } from './net/lab-network.ts';
import type { SessionHub } from './bridge/session-hub.ts';
import type { SchoolLink } from './school/school-link.ts';
import { buildSchoolApp } from './school/school-app.ts';
import { newFastify, registerServer } from './server-routes.ts';

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
