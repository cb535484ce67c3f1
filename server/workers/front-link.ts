// A lab worker's end of the IPC channel to its front process: connections handed over, the
// front's questions answered, and the worker's own gathers (the teacher's API, served by
// whichever worker a teacher's request reached, needs every worker's labs).

import type net from 'node:net';
import type { TeacherLab } from '../../shared/teacher-snapshot.ts';
import type { ClassLabs } from '../teacher/class-labs.ts';
import type { FrontToWorker, GatherTarget, WorkerAnswers, WorkerQuestion, WorkerToFront } from './worker-messages.ts';

type Answerer = (q: WorkerQuestion) => Promise<WorkerAnswers[WorkerQuestion['op']]> | WorkerAnswers[WorkerQuestion['op']];

/** The parts of `process` used here (a test passes another end). */
export interface IpcEnd {
  send?(message: WorkerToFront, callback: (err: Error | null) => void): boolean;
  on(event: 'message', listener: (message: FrontToWorker, handle?: unknown) => void): unknown;
}

export class FrontLink {
  private lastId = 0;
  private readonly gathering = new Map<number, (answers: unknown[]) => void>();
  private answerer: Answerer | null = null;

  constructor(
    private readonly ipc: IpcEnd,
    /** A connection the front handed over, with the bytes it read of it. */
    private readonly connection: (socket: net.Socket, head: Buffer) => void,
  ) {
    ipc.on('message', (message, handle) => this.receive(message, handle));
  }

  /** Answers the front's questions from now on. */
  answer(answerer: Answerer): void {
    this.answerer = answerer;
  }

  ready(): void {
    this.send({ t: 'ready' });
  }

  /** The classes' labs, gathered from every worker through the front. */
  classLabs(): ClassLabs {
    return {
      // A worker that did not answer (restarting) gives nothing: its labs are missing for a moment.
      labs: async (now, classId) => (await this.gather({ op: 'labs', now, classId }, 'all')).filter(Array.isArray).flat() as TeacherLab[],
      labCounts: async () => {
        const counts = new Map<number, number>();
        for (const answer of await this.gather({ op: 'lab-counts' }, 'all')) {
          if (!Array.isArray(answer)) continue;
          for (const [classId, labs] of answer as [number, number][]) counts.set(classId, (counts.get(classId) ?? 0) + labs);
        }
        return counts;
      },
      revealed: async (classId, on) => {
        await this.gather({ op: 'reveal', classId, on }, 'all');
      },
      closeLab: async (code, classId) => (await this.gather({ op: 'close-lab', code, classId }, { lab: code })).some((closed) => closed === true),
    };
  }

  /** A new lab of a class made by worker `index` (its code is one of that worker's), or null. */
  async createLabOn(index: number, classId: number): Promise<string | null> {
    const [code] = await this.gather({ op: 'create-lab', classId }, { worker: index });
    return typeof code === 'string' ? code : null;
  }

  private gather(q: WorkerQuestion, to: GatherTarget): Promise<unknown[]> {
    const id = ++this.lastId;
    return new Promise((resolve) => {
      this.gathering.set(id, resolve);
      this.send({ t: 'gather', id, q, to }, () => {
        this.gathering.delete(id);
        resolve([]);
      });
    });
  }

  /**
   * Sends to the front; `failed` runs if it could not be sent. (send()'s false is no sign of
   * failure: it also means "queued", on a busy channel, and the message still goes.)
   */
  private send(message: WorkerToFront, failed: () => void = () => undefined): void {
    if (!this.ipc.send) return failed();
    try {
      this.ipc.send(message, (err) => err && failed());
    } catch {
      // The front is gone (the worker stops on 'disconnect').
      failed();
    }
  }

  private receive(message: FrontToWorker, handle: unknown): void {
    switch (message.t) {
      case 'connection':
        // Said first: from here on the connection lives in this process whatever happens to it.
        this.send({ t: 'took', id: message.id });
        if (handle) this.connection(handle as net.Socket, Buffer.from(message.head, 'latin1'));
        return;
      case 'gathered': {
        const done = this.gathering.get(message.id);
        this.gathering.delete(message.id);
        done?.(message.answers);
        return;
      }
      case 'ask':
        void this.reply(message.id, message.q);
        return;
    }
  }

  private async reply(id: number, q: WorkerQuestion): Promise<void> {
    let value: unknown = null;
    try {
      value = this.answerer ? await this.answerer(q) : null;
    } catch {
      value = null;
    }
    this.send({ t: 'answer', id, value });
  }
}
