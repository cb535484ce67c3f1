// The labs the interop tests share, as a teacher sets them up for each direction:
// - console one's lab server has no --allow list, so its real listeners take the lesson's own
//   port numbers on the host (CPython clients find them there);
// - console two's has the lesson's ports on the host allowed, so its built-in clients reach
//   CPython servers. (A lab listener never takes a port the --allow list names: were both in
//   one server, CPython clients would not find the built-in servers on the lesson's ports.)

import type { BridgeSession } from '../../web/common/bridge/bridge-session.ts';
import { startLabServer, type TestLabServer } from './lab-server.ts';

export const LESSON_PORTS = [12345, 6789, 3456, 9999];

export interface InteropLab {
  /** Console one's server and lab (built-in servers). */
  server: TestLabServer;
  code: string;
  consoleOne: BridgeSession;
  /** Console two's server and lab (built-in clients, through --allow). */
  clientServer: TestLabServer;
  clientCode: string;
  consoleTwo: BridgeSession;
  close(): Promise<void>;
}

export async function startInteropLab(): Promise<InteropLab> {
  const server = await startLabServer({ realPorts: 'same' });
  const clientServer = await startLabServer({
    realPorts: 'same',
    allow: LESSON_PORTS.map((port) => ({ host: '127.0.0.1', port })),
  });
  const code = await server.createLab();
  const clientCode = await clientServer.createLab();
  const consoleOne = await server.openConsole(code, 'interop-device');
  const consoleTwo = await clientServer.openConsole(clientCode, 'interop-device');
  return {
    server,
    code,
    consoleOne,
    clientServer,
    clientCode,
    consoleTwo,
    close: async () => {
      await Promise.all([server.close(), clientServer.close()]);
    },
  };
}

/** Ephemeral port numbers differ from run to run; everything else must be equal. */
export function normalizePorts(text: string): string {
  return text.replace(/\('127\.0\.0\.1', \d+\)/g, "('127.0.0.1', PORT)");
}
