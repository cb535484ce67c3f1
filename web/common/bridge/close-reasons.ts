// Why a console's WebSocket closed, in the words a student reads, and what the page does
// next: reconnect by itself (the server restarted, or the line was cut), wait for the student
// to ask (Enter, or the banner's button), or nothing more than saying what to do (reload, or
// go to another lab). DOM-free; the codes are the server's (CLOSE_CODES in the protocol).

import { CLOSE_CODES } from '../../../shared/bridge-protocol.ts';

/**
 * auto: the page retries by itself; on-request: the student asks (Enter or a button);
 * reload: only a reload of the page helps; never: this lab is gone.
 */
export type ReconnectPolicy = 'auto' | 'on-request' | 'reload' | 'never';

export interface CloseExplanation {
  /** What happened, as a sentence without its full stop ("the teacher closed this lab"). */
  what: string;
  /** What the student can do, as a sentence without its full stop. */
  todo: string;
  policy: ReconnectPolicy;
}

/** The close codes of a WebSocket with no close frame: the line was cut (1005 none, 1006 abnormal). */
const NO_STATUS = 1005;
const ABNORMAL = 1006;

const WENT_AWAY: CloseExplanation = {
  what: 'the lab server went away',
  todo: 'reconnecting as soon as it is back',
  policy: 'auto',
};

const EXPLANATIONS: ReadonlyMap<number, CloseExplanation> = new Map([
  [CLOSE_CODES.GOING_AWAY, WENT_AWAY],
  [NO_STATUS, WENT_AWAY],
  [ABNORMAL, WENT_AWAY],
  [CLOSE_CODES.SERVICE_RESTART, { what: 'the lab moved to another lab server', todo: 'reconnecting to it', policy: 'auto' }],
  [CLOSE_CODES.TRY_AGAIN_LATER, { what: 'the lab server could not reach its database', todo: 'reconnecting in a moment', policy: 'auto' }],
  [CLOSE_CODES.LAB_CLOSED, { what: 'the teacher closed this lab', todo: 'start a new lab or join another one from the home page', policy: 'never' }],
  [CLOSE_CODES.UNKNOWN_LAB, { what: 'there is no lab with this code any more', todo: 'start a new lab or join another one from the home page', policy: 'never' }],
  [CLOSE_CODES.IDLE, { what: 'the console was closed after a long time with nothing sent', todo: 'press Enter to reconnect', policy: 'on-request' }],
  [CLOSE_CODES.POLICY, { what: 'the lab server closed the console after too many bad messages', todo: 'reload the page', policy: 'reload' }],
  [CLOSE_CODES.TOO_MANY_ATTEMPTS, { what: 'too many wrong lab codes came from this computer', todo: 'wait a minute, then press Enter to try again', policy: 'on-request' }],
  [CLOSE_CODES.FULL, { what: 'the lab has no room for another device, or this device has too many consoles open', todo: 'close a console you do not need, then press Enter to try again', policy: 'on-request' }],
  [CLOSE_CODES.VERSION, { what: 'the lab server was updated and speaks a newer language than this page', todo: 'reload the page', policy: 'reload' }],
]);

/**
 * Explains a close. closeCode null: the page could not connect at all (the server is not
 * answering), which is retried like a cut line. An unknown code says the server's reason.
 */
export function explainClose(closeCode: number | null, reason = ''): CloseExplanation {
  if (closeCode === null) return WENT_AWAY;
  const known = EXPLANATIONS.get(closeCode);
  if (known) return known;
  return {
    what: reason ? `the lab server closed the console (${reason})` : 'the lab server closed the console',
    todo: 'press Enter to reconnect',
    policy: 'on-request',
  };
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The console's line (without brackets) for a connection that is gone: what happened and what comes next. */
export function closeLine(explanation: CloseExplanation): string {
  return explanation.policy === 'auto'
    ? `${sentence(explanation.what)}. Reconnecting as soon as it is back…`
    : `Disconnected: ${explanation.what}. ${sentence(explanation.todo)}.`;
}
