// A console of a device on a running lab server, opened as the page opens it: a WebSocket on
// /ws?lab=CODE (the lab in the URL, so that a front process or HAProxy routes it by the code)
// and the bridge's hello. Every harness that opens consoles (the in-process server, the server
// process, the bench's clients) opens them here and keeps them in its list to close at the end.

import WebSocket from 'ws';
import { BridgeSession, type WebSocketLike } from '../../web/common/bridge/bridge-session.ts';
import { withLabParam } from '../../shared/lab-routing.ts';

/**
 * Opens a console of `deviceKey` (same key = same device, as tabs of one browser) in lab
 * `code` at `wsUrl` (ws://HOST:PORT/ws), and adds it to `sessions`.
 */
export async function openConsole(wsUrl: string, sessions: BridgeSession[], code: string, deviceKey: string): Promise<BridgeSession> {
  // The server offers no compression; not asking for it keeps the client's work per frame small.
  const ws = new WebSocket(withLabParam(wsUrl, code), { perMessageDeflate: false }) as unknown as WebSocketLike;
  const session = await BridgeSession.open(ws, code, deviceKey);
  sessions.push(session);
  return session;
}
