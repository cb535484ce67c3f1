// Where the teacher's API finds the labs: in this process (one process, or one lab worker
// answering the front), or gathered from every lab worker over IPC (server/workers/). The
// teacher's routes see only this, so they work the same either way. Every question names the
// class it is about, and each process answers with that class's labs alone: a class's labs
// may be on every worker, and a class teacher sees and touches only its own.

import type { TeacherLab } from '../../shared/teacher-snapshot.ts';
import type { LabRegistry } from '../lab/lab-registry.ts';
import type { LabNetwork } from '../net/lab-network.ts';
import type { SessionHub } from '../bridge/session-hub.ts';
import { labView } from './class-snapshot.ts';

/** A value now (this process) or later (gathered from the workers). */
export type Maybe<T> = T | Promise<T>;

export interface ClassLabs {
  /** Every lab of a class as the teacher's page shows it, in no particular order. */
  labs(now: number, classId: number): Maybe<TeacherLab[]>;
  /** How many labs each class has (by class id; a class with none is missing). */
  labCounts(): Maybe<Map<number, number>>;
  /**
   * A class's reveal switch changed (already stored): every process learns it, and the
   * consoles of that class's labs (of no other class) hear it.
   */
  revealed(classId: number, on: boolean): Maybe<void>;
  /**
   * Closes a lab: its consoles hear 4010, its programs end, its code is freed. `classId`: only
   * if the lab is of that class (a class teacher's); null: whatever its class (the
   * administrator's). False: no such lab (or not of that class).
   */
  closeLab(code: string, classId: number | null): Maybe<boolean>;
}

export interface LocalLabsSources {
  registry: LabRegistry;
  network: LabNetwork;
  hub: SessionHub;
  /** --lab-retention in ms (0: labs are kept). */
  labRetentionMs: number;
}

/** The labs of this process. */
export function localClassLabs(sources: LocalLabsSources): ClassLabs {
  const { registry, network, hub, labRetentionMs } = sources;
  const netstat = network.netstat.bind(network);
  return {
    labs: (now, classId) => [...registry.all()].filter((lab) => lab.classId === classId).map((lab) => labView(lab, { labRetentionMs, netstat }, now)),
    labCounts() {
      const counts = new Map<number, number>();
      for (const lab of registry.all()) counts.set(lab.classId, (counts.get(lab.classId) ?? 0) + 1);
      return counts;
    },
    // To the consoles of this class's labs alone: another class's switch is its own.
    revealed: (classId, on) => hub.broadcast({ t: 'reveal', revealAnswers: on }, (code) => registry.get(code)?.classId === classId),
    closeLab(code, classId) {
      const lab = registry.get(code);
      if (!lab || (classId !== null && lab.classId !== classId)) return false;
      // Its consoles first (they end their programs and sockets and hear 4010), then its code.
      hub.closeLab(lab.code);
      // With the shared store (--database) deleted there and the other instances told: a promise.
      if (registry.isShared) return registry.removeLab(lab.code);
      registry.remove(lab.code);
      return true;
    },
  };
}

/** f(value), now if the value is here, else once it comes. */
export function whenReady<T, U>(value: Maybe<T>, f: (value: T) => U): Maybe<U> {
  return value instanceof Promise ? value.then(f) : f(value);
}
