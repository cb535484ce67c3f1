// What the teacher's page shows, as the server sends it (GET /api/teacher/snapshot and the
// live feed). Pure data: the server builds it (server/teacher/class-snapshot.ts), the page
// draws it (web/teacher/).

import type { NetstatRow } from './bridge-protocol.ts';

export interface TeacherProcess {
  pid: number;
  /** The console (1, 2, ...) of its device that runs it. */
  console: number;
  name: string;
}

export interface TeacherDevice {
  id: number;
  /** Its lab address, 10.N.0.x. */
  address: string;
  /** A short name of its browser ("Chrome 131 on Linux"), '' when never seen since start. */
  browser: string;
  /** Consoles (WebSockets) open now. */
  consoles: number;
  /** When it last said hello, in ms since the epoch (server clock). */
  lastSeen: number;
  processes: TeacherProcess[];
}

/** One TCP connection drawn on the picture: a client end and a server end. */
export interface TeacherLink {
  /** Lab address of the device that connected, or host:port of an outside program. */
  client: string;
  /** Lab address of the device that accepted, or host:port of an outside program. */
  server: string;
  /** The server end's port. */
  port: number;
  /** The netstat state of the client end (of the lab's end, when the other is outside). */
  state: string;
  /** Which end is not a lab device (a native program on the host, an --allow target), if any. */
  outside: 'client' | 'server' | null;
}

export interface TeacherListener {
  device: string;
  /** host:port as netstat shows it. */
  local: string;
  port: number;
  pid: number;
}

/**
 * 'open': a console is open; 'idle': none, for a few minutes; 'ended': none for longer (the
 * page can hide it). server/lab/lab-activity.ts has the rules.
 */
export type TeacherLabState = 'open' | 'idle' | 'ended';

export interface TeacherLab {
  code: string;
  /** N in 10.N.0.x. */
  number: number;
  createdAt: number;
  state: TeacherLabState;
  /** When it was last used (a console opened or closed, or was open), ms since the epoch. */
  lastActive: number;
  /** When it will be removed if nobody opens it (--lab-retention), or null: never, as things stand. */
  removeAt: number | null;
  devices: TeacherDevice[];
  netstat: NetstatRow[];
  links: TeacherLink[];
  listeners: TeacherListener[];
}

/** The class a snapshot is of. */
export interface TeacherClass {
  id: number;
  name: string;
  /** The default class: the one a server has before any is made (its join URL is /). */
  isDefault: boolean;
}

export interface TeacherSnapshot {
  /** The server's clock when this was built (ms since the epoch), to say "12 s ago". */
  now: number;
  class: TeacherClass;
  /** The URLs the class's students open: one per network address when serving on every interface. */
  joinUrls: string[];
  /** The class's reveal switch. */
  revealAnswers: boolean;
  /** The class's labs: in use first, in the order they were made, then the most recently used. */
  labs: TeacherLab[];
}
