// The page's own socket option call on a Python program's socket (the wire view's Nagle
// switch): the program's sockets live on its synchronous channel, not on the console's
// WebSocket, so the page asks that channel, asynchronously, while the worker may be blocked
// in it. The server lets option calls pass a pending Ctrl-C (sync-channel.ts), so this never
// takes the program's KeyboardInterrupt.

import { decodeSyncFrame, encodeSyncFrame } from '../../shared/sync-protocol.ts';

const IPPROTO_TCP = 6;
const TCP_NODELAY = 1;

export async function setNoDelayOverChannel(syncUrl: string, sock: number, on: boolean): Promise<void> {
  const call = { op: 'setsockopt', sock, level: IPPROTO_TCP, name: TCP_NODELAY, value: on ? 1 : 0 };
  const response = await fetch(syncUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: encodeSyncFrame({ op: 'call', call }).slice().buffer as ArrayBuffer,
  });
  if (response.status === 410) throw new Error('the program has ended');
  const frame = decodeSyncFrame(new Uint8Array(await response.arrayBuffer()));
  const message = typeof frame === 'string' ? null : (frame.message as { ok?: unknown; err?: { msg: string }; error?: string } | null);
  if (response.status !== 200 || !message) throw new Error(message?.error ?? `HTTP ${response.status}`);
  if (message.err) throw new Error(message.err.msg);
}
