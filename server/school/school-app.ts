// One instance of a school (--database): the server of server/app.ts on the PostgreSQL
// database it shares with the other instances (docs/scaling.md, "Several machines"). The
// registry and the classes read the database on a miss; the link tells the others what
// happens here and hears what happens there (school-plugin.ts); the teacher sees the labs of
// every instance (school-class-labs.ts).

import type { ServerConfig } from '../config.ts';
import type { SocketLab } from '../app.ts';
import { LabRegistry } from '../lab/lab-registry.ts';
import { ClassRegistry } from '../classes/class-registry.ts';
import { LabRetention } from '../lab/lab-retention.ts';
import { instanceHeaderPlugin } from '../http/instance-header.ts';
import { workerRoutingPlugin, type WorkerRole } from '../workers/worker-routing-plugin.ts';
import type { StoredCheckResult } from '../store/lab-store.ts';
import { newFastify, registerServer } from '../server-routes.ts';
import { SchoolLink } from './school-link.ts';
import { RemoteLabs } from './remote-labs.ts';
import { schoolClassLabs } from './school-class-labs.ts';
import { schoolPlugin } from './school-plugin.ts';

/**
 * --database: one instance of a school on the PostgreSQL database it shares with the others
 * (docs/scaling.md, "Several machines"); or one lab worker of such an instance (--workers N).
 */
export async function buildSchoolApp(config: ServerConfig, url: string, now: () => number, worker?: WorkerRole): Promise<SocketLab> {
  // The link's warnings go to the app's log once it exists (before, a failure throws).
  let warn = (_message: string, _err?: unknown): void => {};
  // First, so a database that cannot be used stops start-up before anything listens.
  const link = await SchoolLink.open(url, config.instanceName, { warn: (message, err) => warn(message, err) });
  try {
    if (config.revealAnswers) await link.store.setRevealAnswers(true);
    const classes = await ClassRegistry.openShared(link.store, now);
    const lab = await buildOn(link, classes, config, now, worker);
    warn = (message, err) => lab.app.log.warn({ err }, message);
    return lab;
  } catch (err) {
    // A start that failed leaves no connection to the database behind.
    await link.close().catch(() => {});
    throw err;
  }
}

async function buildOn(link: SchoolLink, classes: ClassRegistry, config: ServerConfig, now: () => number, worker: WorkerRole | undefined): Promise<SocketLab> {
  const registry = new LabRegistry(null, now, worker?.ownsLab, { store: link.store, instance: config.instanceName, publish: (event) => link.publish(event) });
  const app = newFastify(config);
  await app.register(instanceHeaderPlugin, { instanceName: config.instanceName });
  if (worker) await app.register(workerRoutingPlugin, { role: worker });
  const retention = new LabRetention({
    registry,
    // Its SQLite store: none (the sweep is sweepShared, on `shared`).
    store: { flushSeen: () => {} },
    retentionMs: config.labRetentionMs,
    now,
    failed: (err) => app.log.error({ err }, 'the lab sweep could not write the database; it tries again in a minute'),
    shared: {
      store: link.store,
      ended(codes) {
        for (const code of codes) {
          if (registry.forget(code)) app.log.info(`lab ${code} removed: no console for the retention time`);
          link.publish({ type: 'lab-removed', lab: code, instance: config.instanceName });
        }
      },
    },
  });
  const remote = new RemoteLabs({ link, adminToken: config.teacherToken, labRetentionMs: config.labRetentionMs });
  const checkStore = {
    checkResults: (classId?: number) => link.store.checkResults(classId),
    async saveCheckResult(result: StoredCheckResult) {
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
