// The real servers this process listens with: the real listener behind every lab listener,
// and the HTTP server itself. A connection through a teacher's --allow entry must reach a
// real program outside Socket Lab, never one of these: otherwise one lab could reach another
// lab's listener (or the server's own port) by naming its real address.
//
// A server's address is read when asked, and only while it is listening: net.Server stops
// listening as soon as close() is called, while its 'close' event (which forgets it) waits
// for the connections it accepted to end.

import type net from 'node:net';
import os from 'node:os';

const ANY_ADDRESSES = new Set(['0.0.0.0', '::']);

function plainIPv4(address: string): string {
  return address.replace(/^::ffff:/, '');
}

/** Whether a connect to this IPv4 address stays on this machine (loopback, 0.0.0.0, or one of its interfaces). */
export function isHostAddress(ip: string): boolean {
  const plain = plainIPv4(ip);
  if (plain === '0.0.0.0' || plain.startsWith('127.')) return true;
  for (const list of Object.values(os.networkInterfaces())) {
    for (const info of list ?? []) if (info.family === 'IPv4' && info.address === plain) return true;
  }
  return false;
}

export class OwnListeners {
  private readonly servers = new Set<net.Server>();
  /** Ports of this machine that are the server's own but listened on by another process (the front of --workers N). */
  private readonly otherPorts = new Set<number>();

  /** Records a server of this process (listening now or later); forgotten when it closes. */
  add(server: net.Server): void {
    if (this.servers.has(server)) return;
    this.servers.add(server);
    server.once('close', () => this.servers.delete(server));
  }

  /** A port the server listens on in another process (a lab worker's front), on any of this machine's addresses. */
  addPort(port: number): void {
    this.otherPorts.add(port);
  }

  /** Whether a connection to ip:port would arrive at one of ours. */
  covers(ip: string, port: number): boolean {
    if (!isHostAddress(ip)) return false;
    if (this.otherPorts.has(port)) return true;
    // Linux sends a connect to 0.0.0.0 to 127.0.0.1.
    const target = plainIPv4(ip) === '0.0.0.0' ? '127.0.0.1' : plainIPv4(ip);
    for (const server of this.servers) {
      const info = server.listening ? server.address() : null;
      if (!info || typeof info === 'string' || info.port !== port) continue;
      if (ANY_ADDRESSES.has(info.address) || plainIPv4(info.address) === target) return true;
    }
    return false;
  }
}
