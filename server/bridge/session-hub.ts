// Every live console session, so that what the teacher does reaches the pages at once: the
// reveal switch goes to every console of its class's labs, closing a lab closes that lab's consoles. The bridge
// adds a session when its WebSocket opens and removes it when it closes.

import { CLOSE_CODES, type ServerMessage } from '../../shared/bridge-protocol.ts';

/** What the hub needs of a session. */
export interface HubSession {
  /** The lab's code once the session has said hello, else null. */
  readonly labCode: string | null;
  notify(message: ServerMessage): void;
  /** Ends the session's programs and closes its WebSocket with this code and reason. */
  disconnect(code: number, reason: string): void;
}

export class SessionHub {
  private readonly sessions = new Set<HubSession>();

  add(session: HubSession): void {
    this.sessions.add(session);
  }

  remove(session: HubSession): void {
    this.sessions.delete(session);
  }

  get size(): number {
    return this.sessions.size;
  }

  all(): Iterable<HubSession> {
    return this.sessions;
  }

  /** To every console that has joined a lab `toLab` accepts (every console when it is not given). */
  broadcast(message: ServerMessage, toLab?: (labCode: string) => boolean): void {
    for (const session of this.sessions) {
      if (!toLab) session.notify(message);
      else if (session.labCode !== null && toLab(session.labCode)) session.notify(message);
    }
  }

  closeLab(code: string, closeCode: number = CLOSE_CODES.LAB_CLOSED, reason = 'the teacher closed this lab'): void {
    for (const session of [...this.sessions]) {
      if (session.labCode === code) session.disconnect(closeCode, reason);
    }
  }

  /** Another instance serves the lab now (--database): its consoles reconnect, and reach that one. */
  labMoved(code: string): void {
    this.closeLab(code, CLOSE_CODES.SERVICE_RESTART, 'this lab moved to another lab server');
  }
}
