// A lab worker of `--workers N`, started by the front process (server/workers/front.ts) with
// the server's own options and its number in the environment: the whole server of one process
// (server/app.ts), holding only the labs whose codes are its own, serving the connections the
// front hands over. It listens only on a loopback port of its own (nothing is sent there: it
// makes the server's close behave as usual). It stops on SIGTERM or SIGINT, and when the front
// goes away, so that no worker outlives it.

import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type net from 'node:net';
import { buildApp } from '../app.ts';
import { parseConfig } from '../config.ts';
import { workerOfLab } from '../../shared/lab-routing.ts';
import { localClassLabs } from '../teacher/class-labs.ts';
import { FrontLink } from './front-link.ts';
import { WORKER_ENV, type WorkerAnswers, type WorkerQuestion } from './worker-messages.ts';

const webRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'web');

function envNumber(name: string): number {
  const value = Number(process.env[name]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`a lab worker needs ${name} (it is started by the front process)`);
  return value;
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('a lab worker is started by the front process (npm start -- --workers N), with an IPC channel');
  const index = envNumber(WORKER_ENV.index);
  const count = envNumber(WORKER_ENV.count);
  const publicPort = envNumber(WORKER_ENV.publicPort);
  const { config } = parseConfig(process.argv.slice(2), process.env, webRoot);
  // The front set the reveal switch once at start; a worker started again must not set it back.
  config.revealAnswers = false;
  config.workers = count;
  const handed: { socket: net.Socket; head: Buffer }[] = [];
  let serve: ((socket: net.Socket, head: Buffer) => void) | null = null;
  const link = new FrontLink(process, (socket, head) => (serve ? serve(socket, head) : handed.push({ socket, head })));
  const ownsLab = (code: string) => workerOfLab(code, count) === index;
  // New labs go to each worker in turn (starting with the next one), whichever connection
  // asked: a browser keeps one connection for its requests, so counting connections would
  // put every lab a teacher's browser makes on one worker.
  let nextWorker = index;
  const createLab = (classId: number) => {
    nextWorker = (nextWorker + 1) % count;
    return nextWorker === index ? lab.registry.make(classId).then((made) => made.code) : link.createLabOn(nextWorker, classId);
  };
  const lab = await buildApp(config, { worker: { index, ownsLab, classLabs: link.classLabs(), publicPort, createLab } });
  await lab.app.listen({ host: '127.0.0.1', port: 0 });
  const server = lab.app.server;
  // The connection as if this server had accepted it, then the bytes the front read of it.
  serve = (socket, head) => {
    server.emit('connection', socket);
    socket.emit('data', head);
    socket.resume();
  };
  for (const h of handed.splice(0)) serve(h.socket, h.head);
  const local = localClassLabs({ registry: lab.registry, network: lab.network, hub: lab.hub, labRetentionMs: config.labRetentionMs });
  link.answer((q: WorkerQuestion): WorkerAnswers[WorkerQuestion['op']] | Promise<WorkerAnswers[WorkerQuestion['op']]> => {
    switch (q.op) {
      case 'labs':
        return local.labs(q.now, q.classId);
      case 'lab-counts':
        return [...(local.labCounts() as Map<number, number>)];
      case 'reveal':
        // The asking worker stored the switch; this copy of the classes learns it (reading the
        // store if the class is new to it), then that class's consoles here hear it.
        return lab.classes.lookUp(q.classId).then(() => {
          lab.classes.heardRevealAnswers(q.classId, q.on);
          local.revealed(q.classId, q.on);
          return true as const;
        });
      case 'close-lab':
        return local.closeLab(q.code, q.classId);
      case 'create-lab':
        // A class made through another worker is found in the shared store.
        return lab.classes.lookUp(q.classId).then(async (known) => (known ? (await lab.registry.make(q.classId)).code : null));
    }
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    lab.app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
  link.ready();
}

main().catch((err) => {
  console.error(`socket-lab worker: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
