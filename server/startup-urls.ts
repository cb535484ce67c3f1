// Where students can reach the server: the URLs start-up prints. Serving on every interface
// (0.0.0.0) gives one URL per non-loopback IPv4 address, which is what a teacher projects.

import type { NetworkInterfaceInfo } from 'node:os';

export function reachableUrls(
  host: string,
  port: number,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>,
): { local: string; network: string[] } {
  const local = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/`;
  if (host !== '0.0.0.0') return { local, network: [] };
  const network: string[] = [];
  for (const addresses of Object.values(interfaces)) {
    for (const a of addresses ?? []) {
      if (a.family === 'IPv4' && !a.internal) network.push(`http://${a.address}:${port}/`);
    }
  }
  return { local, network };
}
