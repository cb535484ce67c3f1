// The lab's address rules, pure: how a host string is read (as CPython on Linux reads it),
// which addresses a device owns, whether a bind collides, and where a connect goes.
// The server's virtual network applies these to its real sockets.

import type { PyErrorInfo } from './bridge-protocol.ts';
import { ADDRESS_FAMILY_NOT_SUPPORTED, errnoError, NAME_NOT_KNOWN, portRangeError } from './socket-errors.ts';

export const ANY_IPV4 = 0; // 0.0.0.0
export const LOOPBACK_IPV4 = 0x7f000001; // 127.0.0.1
/** Ports below this are reserved, as the worksheet says: binding one needs root, which students are not. */
export const FIRST_UNPRIVILEGED_PORT = 1024;
/** Linux's default ephemeral range (net.ipv4.ip_local_port_range). */
export const EPHEMERAL_PORT_MIN = 32768;
export const EPHEMERAL_PORT_MAX = 60999;

/**
 * Reads an IPv4 address the way glibc's inet_aton does (which is what CPython's getaddrinfo
 * falls back to): 1 to 4 parts, each decimal, octal (leading 0) or hex (0x), the last part
 * filling the remaining bytes. Returns null for anything else.
 */
export function parseIPv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 4) return null;
  const values: number[] = [];
  for (const part of parts) {
    let v: number;
    if (/^0[xX][0-9a-fA-F]+$/.test(part)) v = parseInt(part.slice(2), 16);
    else if (/^0[0-7]*$/.test(part)) v = parseInt(part, 8);
    else if (/^[1-9][0-9]*$/.test(part)) v = parseInt(part, 10);
    else return null;
    if (!Number.isSafeInteger(v)) return null;
    values.push(v);
  }
  const last = values.pop()!;
  if (values.some((v) => v > 255)) return null;
  const lastMax = 2 ** (8 * (4 - values.length)) - 1;
  if (last > lastMax) return null;
  let ip = 0;
  values.forEach((v, i) => (ip += v * 2 ** (8 * (3 - i))));
  return ip + last;
}

export function formatIPv4(ip: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(ip / 2 ** shift) % 256).join('.');
}

export function isLoopback(ip: number): boolean {
  return Math.floor(ip / 2 ** 24) === 127;
}

/** A host string resolved as CPython resolves it for bind/connect. */
export type ResolvedHost = { ip: number } | { error: PyErrorInfo };

export function resolveHost(host: string): ResolvedHost {
  if (host === '') return { ip: ANY_IPV4 };
  if (host === '<broadcast>') return { ip: 0xffffffff };
  if (host.toLowerCase() === 'localhost') return { ip: LOOPBACK_IPV4 };
  const ip = parseIPv4(host);
  if (ip !== null) return { ip };
  // glibc reads an IPv4-mapped IPv6 address as the IPv4 address for AF_INET.
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(host);
  const mappedIp = mapped ? parseIPv4(mapped[1]!) : null;
  if (mappedIp !== null) return { ip: mappedIp };
  // An IPv6 address on an AF_INET socket: getaddrinfo's EAI_ADDRFAMILY.
  if (/^[0-9a-fA-F:.]+$/.test(host) && host.includes(':')) return { error: ADDRESS_FAMILY_NOT_SUPPORTED };
  return { error: NAME_NOT_KNOWN };
}

export function checkPort(port: number, call: 'bind' | 'connect' | 'connect_ex'): PyErrorInfo | null {
  return port < 0 || port > 65535 ? portRangeError(call) : null;
}

/** The lab's subnet for lab number n: 10.n.0.0/24, with devices from 10.n.0.2 up. */
export function labSubnetBase(labNumber: number): number {
  return (10 * 2 ** 24) + (labNumber % 256) * 2 ** 16;
}

export function deviceAddress(labNumber: number, deviceId: number): number {
  return labSubnetBase(labNumber) + 1 + deviceId;
}

export function inLabSubnet(labNumber: number, ip: number): boolean {
  return ip - labSubnetBase(labNumber) >= 0 && ip - labSubnetBase(labNumber) < 256;
}

/** A socket's claim on a port of its device. ip ANY_IPV4 claims the port on every address. */
export interface PortClaim {
  ip: number;
  port: number;
  /** SO_REUSEADDR is set on the socket. */
  reuseAddr?: boolean;
  listening?: boolean;
}

/** Linux: two sockets may share a port on overlapping addresses only when both set
 * SO_REUSEADDR and the one already there is not listening. */
export function claimsCollide(a: PortClaim, b: PortClaim): boolean {
  if (a.port !== b.port || !(a.ip === ANY_IPV4 || b.ip === ANY_IPV4 || a.ip === b.ip)) return false;
  return !(a.reuseAddr && b.reuseAddr && !b.listening);
}

/**
 * Linux's checks for bind(), in its order: the address must be the device's (0.0.0.0, any
 * 127.x.y.z, or its lab address), ports below 1024 need root, the port must be free.
 */
export function checkBind(
  deviceIp: number,
  claim: PortClaim,
  existing: Iterable<PortClaim>,
): PyErrorInfo | null {
  if (claim.ip !== ANY_IPV4 && !isLoopback(claim.ip) && claim.ip !== deviceIp) return errnoError('EADDRNOTAVAIL');
  if (claim.port !== 0 && claim.port < FIRST_UNPRIVILEGED_PORT) return errnoError('EACCES');
  for (const other of existing) if (claimsCollide(claim, other)) return errnoError('EADDRINUSE');
  return null;
}

/** Picks a free ephemeral port for bind(port 0) or listen() on an unbound socket. */
export function pickEphemeralPort(ip: number, existing: PortClaim[], random: () => number): number | null {
  const span = EPHEMERAL_PORT_MAX - EPHEMERAL_PORT_MIN + 1;
  const start = Math.floor(random() * span);
  for (let i = 0; i < span; i++) {
    const port = EPHEMERAL_PORT_MIN + ((start + i) % span);
    if (!existing.some((c) => c.port === port)) return port;
  }
  return null;
}

/** Does a listener bound to listenIp take a connection addressed to targetIp on its device? */
export function listenerAccepts(listenIp: number, targetIp: number): boolean {
  return listenIp === ANY_IPV4 || listenIp === targetIp;
}

/** Where a connect() from a device goes, before any listener is looked up. */
export type ConnectTarget =
  /** A device of the lab (its own loopback or lab address); sourceIp is what the peer will see. */
  | { kind: 'device'; deviceId: number; targetIp: number; sourceIp: number }
  /** Not a lab address: only the teacher's --allow list can make it reachable. */
  | { kind: 'outside'; targetIp: number };

export function classifyConnectTarget(
  labNumber: number,
  fromDeviceId: number,
  targetIp: number,
  deviceExists: (deviceId: number) => boolean,
): ConnectTarget {
  // Linux sends a connect to 0.0.0.0 to the machine itself.
  if (targetIp === ANY_IPV4 || isLoopback(targetIp)) {
    const ip = targetIp === ANY_IPV4 ? LOOPBACK_IPV4 : targetIp;
    return { kind: 'device', deviceId: fromDeviceId, targetIp: ip, sourceIp: LOOPBACK_IPV4 };
  }
  if (inLabSubnet(labNumber, targetIp)) {
    const deviceId = targetIp - labSubnetBase(labNumber) - 1;
    if (deviceId >= 1 && deviceExists(deviceId)) {
      return { kind: 'device', deviceId, targetIp, sourceIp: deviceAddress(labNumber, fromDeviceId) };
    }
  }
  return { kind: 'outside', targetIp };
}

/** The error for a connect that reaches no listener and no allowed outside address. */
export function unreachableError(labNumber: number, target: ConnectTarget): PyErrorInfo {
  if (target.kind === 'device') return errnoError('ECONNREFUSED');
  // A lab address with no device behind it: nothing answers ARP, as on a LAN.
  if (inLabSubnet(labNumber, target.targetIp)) return errnoError('EHOSTUNREACH');
  // The lab has no route anywhere else.
  return errnoError('ENETUNREACH');
}
