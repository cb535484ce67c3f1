// A console's hello: which lab and which device it is. The handshake checks, in this order,
// the protocol version, that the hello names the lab of the WebSocket's URL (/ws?lab=CODE, by
// which a front process routes it: server/workers/) and that this process holds that lab, the join limiter (an address that tried too many wrong lab codes waits,
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
  /**
   * With --workers N: whether a lab is this worker's (shared/lab-routing.ts). A page loaded
   * before the server had workers opens /ws without ?lab, which the front hands to any worker.
   */
  ownsLab?: (code: string) => boolean;
  /**
   * A device's first console opened (true) or its last closed (false): with the shared store
   * (--database) the other instances hear it (a teacher's page there follows the lab live).
   */
  deviceOnline?: (device: Device, online: boolean) => void;
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

/** The close reason when the hello names another lab than the WebSocket's URL. */
export const WRONG_LAB_REASON = 'the hello names another lab than the URL';
/** The close reason when a lab is another worker's (a page from before the server had workers). */
export const RELOAD_REASON = 'reload the page';

/**
 * With the shared store (--database), before joinLab: reads the hello's lab from the database
 * when this instance does not hold it (made on another instance, or served by one that died)
 * and stores the device when it is new, so that joinLab, which is synchronous, finds both in
 * memory. Only what joinLab would accept is read: a refused hello costs the database nothing
 * (joinLab then refuses it, counting a wrong code as ever).
 */
export async function prepareSharedJoin(ctx: JoinContext, hello: Hello, remoteAddress: string, urlLab: string | null = null): Promise<void> {
  if (hello.v !== PROTOCOL_VERSION || (urlLab !== null && urlLab.toUpperCase() !== hello.lab.toUpperCase())) return;
  if (ctx.ownsLab && !ctx.ownsLab(hello.lab)) return;
  if (!ctx.joinLimiter.allowed(remoteAddress)) return;
  const lab = await ctx.registry.find(hello.lab);
  if (lab && DEVICE_KEY_PATTERN.test(hello.device)) await lab.storeDevice(hello.device);
}

/**
 * The device this hello joins (not yet counting this console), or why it may not. `urlLab`:
 * the lab named by the WebSocket's URL (?lab=CODE), null when it names none (a page loaded
 * before the URLs named their lab: accepted when this process holds the lab).
 */
export function joinLab(ctx: JoinContext, hello: Hello, remoteAddress: string, urlLab: string | null = null): { device: Device } | { refused: JoinRefusal } {
  if (hello.v !== PROTOCOL_VERSION) {
    const msg = `this server speaks protocol version ${PROTOCOL_VERSION}; reload the page`;
    return { refused: { code: 'version', msg, bad: true, close: { code: CLOSE_CODES.VERSION, reason: 'protocol version' } } };
  }
  if (urlLab !== null && urlLab.toUpperCase() !== hello.lab.toUpperCase()) {
    const msg = `this WebSocket was opened for lab ${urlLab} (its URL's ?lab=) but its hello names lab ${hello.lab}`;
    return { refused: { code: 'wrong-lab', msg, bad: true, close: { code: CLOSE_CODES.POLICY, reason: WRONG_LAB_REASON } } };
  }
  if (ctx.ownsLab && !ctx.ownsLab(hello.lab)) {
    // Not a wrong code (the lab may well exist, on another worker): the page is older than
    // the server's URLs. The version close makes it say "reload", which fixes it.
    const msg = 'this page was loaded before the server was upgraded; reload the page';
    return { refused: { code: 'version', msg, bad: true, close: { code: CLOSE_CODES.VERSION, reason: RELOAD_REASON } } };
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
