// Who is connected to whom in one lab, from its netstat rows: both ends of a connection
// inside the lab are two rows (each device sees its own end), paired here into one link.
// Pure, so the pairing rules are tested on plain rows.

import type { NetstatRow } from '../../shared/bridge-protocol.ts';
import type { TeacherLink, TeacherListener } from '../../shared/teacher-snapshot.ts';

/** States of a connection that has both ends (SYN_SENT has no accepted end yet). */
const CONNECTED_STATES = new Set(['ESTABLISHED', 'CLOSE_WAIT', 'FIN_WAIT_2', 'LAST_ACK']);

interface Endpoint {
  host: string;
  port: number;
}

function splitHostPort(text: string): Endpoint {
  const colon = text.lastIndexOf(':');
  return { host: text.slice(0, colon), port: Number(text.slice(colon + 1)) };
}

/** 127.x.x.x means the device itself, so the same text on two devices is two endpoints. */
function endpointKey(device: string, text: string): string {
  const { host, port } = splitHostPort(text);
  return host.startsWith('127.') ? `${device}/loopback:${port}` : `${host}:${port}`;
}

export function labListeners(rows: readonly NetstatRow[]): TeacherListener[] {
  return rows
    .filter((r) => r.state === 'LISTENING')
    .map((r) => ({ device: r.device, local: r.local, port: splitHostPort(r.local).port, pid: r.pid }));
}

/**
 * The lab's connections. `devices` are the lab's device addresses: an end whose partner has
 * gone (CLOSE_WAIT after the client's tab closed) still points at its device, not outside.
 */
export function labLinks(rows: readonly NetstatRow[], devices: readonly string[] = []): TeacherLink[] {
  const inLab = new Set(devices);
  const listening = new Set(labListeners(rows).map((l) => `${l.device}#${l.port}`));
  const isServerEnd = (r: NetstatRow) => listening.has(`${r.device}#${splitHostPort(r.local).port}`);
  const connected = rows.filter((r) => CONNECTED_STATES.has(r.state));
  // Each row by its (local, foreign) pair, to find the other end: its (foreign, local).
  const byEnds = new Map<string, NetstatRow>();
  for (const r of connected) byEnds.set(`${endpointKey(r.device, r.local)}>${endpointKey(r.device, r.foreign)}`, r);
  const used = new Set<NetstatRow>();
  const links: TeacherLink[] = [];
  for (const r of connected) {
    if (used.has(r)) continue;
    used.add(r);
    const other = byEnds.get(`${endpointKey(r.device, r.foreign)}>${endpointKey(r.device, r.local)}`);
    if (other && !used.has(other)) {
      used.add(other);
      // The end on a listening port is the server; when that cannot tell, the lower port.
      const rIsServer = isServerEnd(r) !== isServerEnd(other) ? isServerEnd(r) : splitHostPort(r.local).port < splitHostPort(other.local).port;
      const [client, server] = rIsServer ? [other, r] : [r, other];
      links.push({ client: client.device, server: server.device, port: splitHostPort(server.local).port, state: client.state, outside: null });
    } else {
      const foreignHost = splitHostPort(r.foreign).host;
      const peer = inLab.has(foreignHost) ? foreignHost : r.foreign;
      const outside = !inLab.has(foreignHost);
      if (isServerEnd(r)) {
        // Accepted from a program outside the lab (a native one, through the real port), or
        // from a lab device whose end is gone.
        links.push({ client: peer, server: r.device, port: splitHostPort(r.local).port, state: r.state, outside: outside ? 'client' : null });
      } else {
        links.push({ client: r.device, server: peer, port: splitHostPort(r.foreign).port, state: r.state, outside: outside ? 'server' : null });
      }
    }
  }
  return links;
}
