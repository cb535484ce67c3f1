// What an instance of a school (--database) does with the other instances' events, and where
// it tells them it can be reached:
//  - `lab-claimed` (or `lab-created`) by another instance for a lab held here: that instance
//    serves it now (this one's turn came back to it, or it took over). The lab's consoles here
//    are closed with 1012 and the lab is dropped from memory: the pages reconnect, and HAProxy
//    sends them to the instance their code routes to, which has it.
//  - `lab-removed` by another instance for a lab held here (a teacher on that instance closed
//    it, or its sweep ended it): its consoles hear 4010, as when closed here.
//  - `reveal-switched` by another instance: the class's switch is read from it and told to the
//    consoles of that class's labs here.
//  - Any event naming a lab: the teacher's card of it fetched from another instance is stale.
// On listening, the instance records its URL in the database (--instance-url, or the URL it
// serves on), from which the others fetch the teacher's cards of the labs it serves.

import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { LabRegistry } from '../lab/lab-registry.ts';
import type { SessionHub } from '../bridge/session-hub.ts';
import type { ClassRegistry } from '../classes/class-registry.ts';
import { serverBaseUrls } from '../classes/class-urls.ts';
import { DEFAULT_CLASS_ID } from '../store/lab-store.ts';
import type { LabEvent } from '../store/lab-events.ts';
import type { RemoteLabs } from './remote-labs.ts';
import type { SchoolLink } from './school-link.ts';

export interface SchoolOptions {
  link: SchoolLink;
  registry: LabRegistry;
  hub: SessionHub;
  classes: ClassRegistry;
  remote: RemoteLabs;
  /** The address served on (config.host), for the URL recorded when --instance-url is not given. */
  host: string;
  /** --instance-url: where the other instances reach this one; null: the URL it serves on. */
  instanceUrl: string | null;
  /** With --workers N: the front's port, where the others reach this instance (a worker's own is loopback, for nobody). */
  publicPort?: number;
}

async function school(app: FastifyInstance, options: SchoolOptions): Promise<void> {
  if (!options.link || !options.registry || !options.hub || !options.classes || !options.remote || typeof options.host !== 'string') {
    throw new Error('school plugin needs link, registry, hub, classes, remote and host');
  }
  const { link, registry, hub, classes, remote } = options;

  const heard = (event: LabEvent): void => {
    if (event.lab !== null) remote.invalidate(event.lab);
    if (event.instance === link.instance) return;
    switch (event.type) {
      case 'lab-created':
      case 'lab-claimed':
        if (registry.forget(event.lab)) {
          app.log.info(`lab ${event.lab} is served by ${event.instance} now: its consoles here reconnect there`);
          hub.labMoved(event.lab);
        }
        break;
      case 'lab-removed':
        if (registry.forget(event.lab)) hub.closeLab(event.lab);
        break;
      case 'reveal-switched': {
        const classId = event.scope === undefined ? DEFAULT_CLASS_ID : Number(event.scope);
        classes.lookUp(classId).then(
          (known) => {
            if (!known || !classes.heardRevealAnswers(classId, event.on)) return;
            hub.broadcast({ t: 'reveal', revealAnswers: event.on }, (code) => registry.get(code)?.classId === classId);
          },
          (err) => app.log.warn({ err }, 'a class switched on another instance could not be read'),
        );
        break;
      }
    }
  };
  link.onEvent(heard);
  link.onReconnected(() => {
    // Events may have been missed: cards are fetched afresh, switches read again.
    remote.clear();
    classes.listAll().catch((err) => app.log.warn({ err }, 'the classes could not be read again'));
  });

  app.addHook('onListen', async () => {
    const url = options.instanceUrl ?? serverBaseUrls(options.host, app.server, options.publicPort)[0]!;
    try {
      await link.announce(url);
    } catch (err) {
      app.log.warn({ err }, "this instance's URL could not be recorded: teachers on other instances see its labs without their programs");
    }
  });
  app.addHook('onClose', async () => link.close());
}

export const schoolPlugin = fp(school, { name: 'socket-lab-school', fastify: '5.x' });
