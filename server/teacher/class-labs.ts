// Where the teacher's API finds the labs: in this process (one process, or one lab worker
// answering the front), or gathered from every lab worker over IPC (server/workers/). The
// teacher's routes see only this, so they work the same either way.

import type { TeacherLab } from '../../shared/teacher-snapshot.ts';
import type { LabRegistry } from '../lab/lab-registry.ts';
import type { LabNetwork } from '../net/lab-network.ts';
import type { SessionHub } from '../bridge/session-hub.ts';
import { labView } from './class-snapshot.ts';

/** A value now (this process) or later (gathered from the workers). */
export type Maybe<T> = T | Promise<T>;

export interface ClassLabs {
  /** Every lab as the teacher's page shows it, in no particular order. */
  labs(now: number): Maybe<TeacherLab[]>;
  /** The reveal switch changed (already stored): every console hears it. */
  revealed(on: boolean): Maybe<void>;
  /** Closes a lab: its consoles hear 4010, its programs end, its code is freed. False: no such lab. */
  closeLab(code: string): Maybe<boolean>;
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
    labs: (now) => [...registry.all()].map((lab) => labView(lab, { labRetentionMs, netstat }, now)),
    revealed: (on) => hub.broadcast({ t: 'reveal', revealAnswers: on }),
    closeLab(code) {
      const lab = registry.get(code);
      if (!lab) return false;
      // Its consoles first (they end their programs and sockets and hear 4010), then its code.
      hub.closeLab(lab.code);
      registry.remove(lab.code);
      return true;
    },
  };
}

/** f(value), now if the value is here, else once it comes. */
export function whenReady<T, U>(value: Maybe<T>, f: (value: T) => U): Maybe<U> {
  return value instanceof Promise ? value.then(f) : f(value);
}
