// A console's hello: which lab and which device it is. The handshake checks, in this order,
// the protocol version, the join limiter (an address that tried too many wrong lab codes waits,
// and a wrong code here counts as one, as over HTTP: server/http/lab-by-code.ts), the lab, the
// device key (shared/device-key-pattern.ts, the page's own pattern), room in the lab for the
// device, and the device's consoles (--limit consoles-per-device). The console session
// (console-session.ts) sends the refusal and closes, or takes the device.

import { CLOSE_CODES, PROTOCOL_VERSION, type ClientMessage } from '../../shared/bridge-protocol.ts';
import { DEVICE_KEY_PATTERN } from '../../shared/device-key-pattern.ts';
import type { Device, LabRegistry } from '../lab/lab-registry.ts';
import { tooManyAttemptsMessage, type JoinLimiter } from '../lab/join-limiter.ts';
import type { Limits } from '../limits.ts';
import { limitNotice } from '../limits/limit-refusals.ts';

export type Hello = Extract<ClientMessage, { t: 'hello' }>;

export interface JoinContext {
  registry: LabRegistry;
  /** Wrong lab codes per address (shared with the HTTP API). */
  joinLimiter: JoinLimiter;
  limits: Pick<Limits, 'consolesPerDevice'>;
}

/** Why a hello was refused: the error reply, whether it was a bad message, and the close. */
export interface JoinRefusal {
  /** The error reply's code ('limit' for a limit of the lab, as the page shows those). */
  code: string;
  msg: string;
  /** A hello the page should not have sent counts as one of the console's bad messages; a full
   * device's (a limit reached) does not. */
  bad: boolean;
  /** The WebSocket closes with this; absent (a malformed device key), the page may send hello again. */
  close?: { code: number; reason: string };
}

/** The close reason when a device has as many consoles as it may (the error reply says more). */
export const CONSOLES_FULL_REASON = 'this device has too many consoles open';

/** The device this hello joins (not yet counting this console), or why it may not. */
export function joinLab(ctx: JoinContext, hello: Hello, remoteAddress: string): { device: Device } | { refused: JoinRefusal } {
  if (hello.v !== PROTOCOL_VERSION) {
    const msg = `this server speaks protocol version ${PROTOCOL_VERSION}; reload the page`;
    return { refused: { code: 'version', msg, bad: true, close: { code: CLOSE_CODES.VERSION, reason: 'protocol version' } } };
  }
  const limiter = ctx.joinLimiter;
  if (!limiter.allowed(remoteAddress)) {
    const msg = tooManyAttemptsMessage(limiter.retryAfterSeconds(remoteAddress));
    return { refused: { code: 'too-many-attempts', msg, bad: true, close: { code: CLOSE_CODES.TOO_MANY_ATTEMPTS, reason: 'too many wrong lab codes' } } };
  }
  const lab = ctx.registry.get(hello.lab);
  if (!lab) {
    limiter.wrong(remoteAddress);
    const msg = `there is no lab with the code ${hello.lab}`;
    return { refused: { code: 'unknown-lab', msg, bad: true, close: { code: CLOSE_CODES.UNKNOWN_LAB, reason: 'unknown lab' } } };
  }
  if (!DEVICE_KEY_PATTERN.test(hello.device)) {
    return { refused: { code: 'bad-field', msg: 'device key must be 8-64 letters or digits', bad: true } };
  }
  const device = lab.deviceFor(hello.device);
  if (!device) {
    const msg = 'this lab has no room for another device';
    return { refused: { code: 'lab-full', msg, bad: true, close: { code: CLOSE_CODES.FULL, reason: 'lab full' } } };
  }
  const most = ctx.limits.consolesPerDevice;
  if (device.consoles >= most) {
    return { refused: { code: 'limit', msg: limitNotice('consolesPerDevice', most), bad: false, close: { code: CLOSE_CODES.FULL, reason: CONSOLES_FULL_REASON } } };
  }
  return { device };
}
