// The lab the interop tests share: real listeners take the lesson's own port numbers on the
// host (so CPython clients find them), and the lesson's ports on the host are allowed (so
// built-in clients reach CPython servers); two consoles of one device.

import type { BridgeSession } from '../../web/bridge/bridge-session.ts';
import { startLabServer, type TestLabServer } from './lab-server.ts';

export const LESSON_PORTS = [12345, 6789, 3456, 9999];

export interface InteropLab {
  server: TestLabServer;
  code: string;
  consoleOne: BridgeSession;
  consoleTwo: BridgeSession;
}

export async function startInteropLab(): Promise<InteropLab> {
  const server = await startLabServer({
    realPorts: 'same',
    allow: LESSON_PORTS.map((port) => ({ host: '127.0.0.1', port })),
  });
  const code = await server.createLab();
  const consoleOne = await server.openConsole(code, 'interop-device');
  const consoleTwo = await server.openConsole(code, 'interop-device');
  return { server, code, consoleOne, consoleTwo };
}

/** Ephemeral port numbers differ from run to run; everything else must be equal. */
export function normalizePorts(text: string): string {
  return text.replace(/\('127\.0\.0\.1', \d+\)/g, "('127.0.0.1', PORT)");
}
