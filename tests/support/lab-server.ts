// Starts the real server in-process on port 0 for a test, and opens consoles on it over a
// real WebSocket, as a page would.

import { buildApp, type BuildOptions, type SocketLab } from '../../server/app.ts';
import { baseConfig, type ServerConfig } from '../../server/config.ts';
import type { BridgeSession } from '../../web/common/bridge/bridge-session.ts';
import { openConsole } from './open-console.ts';

/** The teacher's token of every test server. */
export const TEST_TEACHER_TOKEN = 'test-teacher-token';

export interface TestLabServer extends SocketLab {
  port: number;
  baseUrl: string;
  wsUrl: string;
  createLab(): Promise<string>;
  /** A console of a device (same deviceKey = same device, as tabs of one browser), on /ws?lab=CODE as the page opens it. */
  openConsole(lab: string, deviceKey: string): Promise<BridgeSession>;
  close(): Promise<void>;
}

/** `options.now` is the server's clock: a test moves it on by hours instead of waiting. */
export async function startLabServer(overrides: Partial<ServerConfig> = {}, options: BuildOptions = {}): Promise<TestLabServer> {
  const config: ServerConfig = {
    ...baseConfig({}, null),
    host: '127.0.0.1',
    port: 0,
    revealAnswers: true,
    realPorts: 'any',
    teacherToken: TEST_TEACHER_TOKEN,
    teacherTokenGiven: true,
    logLevel: 'silent',
    // In-memory SQLite: nothing is kept. tests/persistence.test.ts passes a temporary folder.
    dataDir: null,
    ...overrides,
  };
  const lab = await buildApp(config, options);
  await lab.app.listen({ port: 0, host: '127.0.0.1' });
  const address = lab.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  const wsUrl = `ws://127.0.0.1:${port}/ws`;
  const sessions: BridgeSession[] = [];
  return {
    ...lab,
    port,
    baseUrl,
    wsUrl,
    async createLab() {
      const res = await fetch(`${baseUrl}/api/labs`, { method: 'POST' });
      return ((await res.json()) as { code: string }).code;
    },
    openConsole: (code, deviceKey) => openConsole(wsUrl, sessions, code, deviceKey),
    async close() {
      for (const s of sessions) if (!s.closed) s.close();
      await lab.app.close();
    },
  };
}

/** Longer than a cold Python load on a busy machine (browser.ts's PYTHON_LOAD_MS), which a
 * program must get through before it listens. */
const LISTEN_WAIT_MS = 120_000;
/** Between two looks at the lab's sockets: often enough, without a busy loop of requests. */
const LISTEN_POLL_MS = 10;

/**
 * Waits until the lab shows a listener on the port (as `netstat` would), returning its row;
 * after `timeoutMs`, fails saying which sockets the lab had instead.
 */
export async function waitListening(
  server: TestLabServer,
  code: string,
  port: number,
  timeoutMs = LISTEN_WAIT_MS,
): Promise<{ local: string; state: string; realPort: number }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    // A lab's netstat answers only its devices and the teacher.
    const response = await fetch(`${server.baseUrl}/api/labs/${code}/netstat`, { headers: { authorization: `Bearer ${TEST_TEACHER_TOKEN}` } });
    const rows = (await response.json()) as {
      local: string;
      state: string;
      realPort: number;
    }[];
    const row = rows.find((r) => r.state === 'LISTENING' && r.local.endsWith(`:${port}`));
    if (row) return row;
    if (Date.now() > until) throw new Error(`no listener on port ${port} in lab ${code} within ${timeoutMs} ms; its sockets: ${JSON.stringify(rows)}`);
    await new Promise((r) => setTimeout(r, LISTEN_POLL_MS));
  }
}
