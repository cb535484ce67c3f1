// TCP_NODELAY read from a real socket itself, not from our own flag: the socket's file
// descriptor is handed to a python3 child as its fd 3 (a duplicate of the same kernel
// socket), which asks the kernel with getsockopt. Linux only, as the lab's host is.

import { spawnSync } from 'node:child_process';
import type net from 'node:net';
import type { LabSocket } from '../../server/net/lab-socket.ts';
import type { TestLabServer } from './lab-server.ts';

const READ_NODELAY =
  'import socket; s = socket.socket(fileno=3); print(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)); s.detach()';

/** The kernel's TCP_NODELAY of a connected node:net socket: 0 (Nagle on) or 1. */
export function kernelNoDelay(real: net.Socket): number {
  // node:net keeps the descriptor on its libuv handle; it is not public API, but stable on Linux.
  const fd = (real as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) throw new Error('the real socket has no file descriptor');
  const child = spawnSync('python3', ['-c', READ_NODELAY], { stdio: ['ignore', 'pipe', 'pipe', fd], encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`python3 could not read TCP_NODELAY: ${child.stderr}`);
  return Number(child.stdout.trim());
}

/** The lab socket of a lab by its id (the wire view shows it as `sock N`). */
export function labSocket(server: TestLabServer, code: string, id: number): LabSocket {
  const lab = server.registry.get(code);
  for (const sock of lab?.allSockets() ?? []) if (sock.id === id) return sock;
  throw new Error(`lab ${code} has no socket ${id}`);
}
