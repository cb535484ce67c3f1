// The setup many tests start from: a listener on one console's device, a client on another's
// (or the same) connected to it, and the connection accepted, all through the page's socket
// API (the one the built-ins use).

import type { BridgeSession } from '../../web/common/bridge/bridge-session.ts';
import type { PySocket } from '../../web/common/net/py-socket.ts';
import { ProgramProcess } from '../../web/common/programs/program-process.ts';

export interface ConnectedPair {
  /** The listening side's process and the client's (the same when both run in one console). */
  serverProcess: ProgramProcess;
  clientProcess: ProgramProcess;
  listener: PySocket;
  /** The accepted connection, on the listener's side. */
  conn: PySocket;
  client: PySocket;
}

/**
 * Listens on `bindHost:port` in a program of `server`, connects from a program of `client`
 * to `connectHost` (default: the server device's lab address), and accepts.
 */
export async function connectedPair(
  server: BridgeSession,
  client: BridgeSession,
  port: number,
  { bindHost = '0.0.0.0', connectHost = server.welcome.device.address } = {},
): Promise<ConnectedPair> {
  const serverProcess = await ProgramProcess.spawn(server, 'nc', []);
  const listener = await serverProcess.socket();
  await listener.bind([bindHost, port]);
  await listener.listen();
  const clientProcess = client === server ? serverProcess : await ProgramProcess.spawn(client, 'nc', []);
  const clientSock = await clientProcess.socket();
  await clientSock.connect([connectHost, port]);
  const [conn] = await listener.accept();
  return { serverProcess, clientProcess, listener, conn, client: clientSock };
}
