// The IPC messages between the front process and its lab workers (node:child_process, JSON).
// Each is small: a connection's request head (the connection itself travels as the message's
// handle), a question and its answer. Frames of consoles never pass here.

import type { TeacherLab } from '../../shared/teacher-snapshot.ts';

/**
 * What the front asks every worker (or the worker of one lab), for the teacher's API. Each
 * names its class: a class's labs are on every worker, and each worker answers for that
 * class's alone.
 */
export type WorkerQuestion =
  /** Its labs of a class as the teacher sees them, at this time. */
  | { op: 'labs'; now: number; classId: number }
  /** How many labs of each class it holds. */
  | { op: 'lab-counts' }
  /** A class's reveal switch changed (the asking worker stored it): learn it and tell that class's consoles. */
  | { op: 'reveal'; classId: number; on: boolean }
  /** Close this lab (its owner only), if it is of the class (null: whatever its class, for the administrator). */
  | { op: 'close-lab'; code: string; classId: number | null }
  /** Make a lab in a class (of this worker's codes), for a POST /api/labs another worker received. */
  | { op: 'create-lab'; classId: number };

/** What a worker answers each question with. */
export interface WorkerAnswers {
  labs: TeacherLab[];
  /** [class id, labs] pairs. */
  'lab-counts': [number, number][];
  reveal: true;
  'close-lab': boolean;
  /** The new lab's code, or null when it could not be made (the store refused). */
  'create-lab': string | null;
}

/** Whom a gather asks: every worker, the owner of a lab, or one worker by number. */
export type GatherTarget = 'all' | { lab: string } | { worker: number };

export type FrontToWorker =
  /** A connection handed over (the message's handle), with every byte the front read of it
   * (latin1); the worker says it took it with the same id. */
  | { t: 'connection'; id: number; head: string }
  /** A question for this worker; it answers with the same id. */
  | { t: 'ask'; id: number; q: WorkerQuestion }
  /** The answers to a worker's gather, one per worker that answered. */
  | { t: 'gathered'; id: number; answers: unknown[] };

export type WorkerToFront =
  /** Listening and holding its labs: connections may come. */
  | { t: 'ready' }
  /** It holds the connection handed with this id: the front may close its own copy. */
  | { t: 'took'; id: number }
  | { t: 'answer'; id: number; value: unknown }
  /** Ask every worker (this one too), the owner of a lab or one worker, and send back what they answer. */
  | { t: 'gather'; id: number; q: WorkerQuestion; to: GatherTarget };

/** The environment a worker is started with (server/workers/front.ts), beside the server's own options. */
export const WORKER_ENV = {
  /** This worker's number, 0 .. count-1. */
  index: 'SOCKET_LAB_WORKER_INDEX',
  /** How many lab workers there are. */
  count: 'SOCKET_LAB_WORKER_COUNT',
  /** The port the front listens on (students' URLs). */
  publicPort: 'SOCKET_LAB_PUBLIC_PORT',
} as const;

/** The header each worker's answers carry: `INDEX/PID` (for tests and for a look with curl -i). */
export const WORKER_HEADER = 'x-socket-lab-worker';
