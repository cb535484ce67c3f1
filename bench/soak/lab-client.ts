// Drives a running Socket Lab server from Node as pages do: makes labs over HTTP, opens
// consoles over real WebSockets, and sets up a pair (a listener on one device, a client on
// another, connected and accepted) through the page's socket API. Used by the soak and by
// bench/scale.ts (which talks to a server in a child process).

import type { BridgeSession } from '../../web/common/bridge/bridge-session.ts';
import type { ProgramProcess } from '../../web/common/programs/program-process.ts';
import { connectedPair } from '../../tests/support/connected-pair.ts';
import { openConsole } from '../../tests/support/open-console.ts';
import type { PySocket } from '../../web/common/net/py-socket.ts';

export class LabClient {
  readonly sessions: BridgeSession[] = [];

  constructor(readonly baseUrl: string) {}

  get wsUrl(): string {
    return `${this.baseUrl.replace(/^http/, 'ws')}/ws`;
  }

  async createLab(): Promise<string> {
    const res = await fetch(`${this.baseUrl}/api/labs`, { method: 'POST' });
    if (!res.ok) throw new Error(`POST /api/labs: ${res.status}`);
    return ((await res.json()) as { code: string }).code;
  }

  openConsole(code: string, deviceKey: string): Promise<BridgeSession> {
    return openConsole(this.wsUrl, this.sessions, code, deviceKey);
  }

  closeAll(): void {
    for (const s of this.sessions) if (!s.closed) s.close();
    this.sessions.length = 0;
  }
}

export interface ChatPair {
  index: number;
  listenerSide: BridgeSession;
  clientSide: BridgeSession;
  processes: ProgramProcess[];
  listener: PySocket;
  /** The accepted connection (listener's device) and the client's socket. */
  conn: PySocket;
  client: PySocket;
}

/** Two consoles (two devices) of lab `code`, a listener on the first's port, the second connected to it. */
export async function openPair(client: LabClient, code: string, index: number, tag: string, port = 5000): Promise<ChatPair> {
  const listenerSide = await client.openConsole(code, `${tag}-a-${index}`);
  const clientSide = await client.openConsole(code, `${tag}-b-${index}`);
  const pair = await connectedPair(listenerSide, clientSide, port);
  return {
    index,
    listenerSide,
    clientSide,
    processes: [pair.serverProcess, pair.clientProcess],
    listener: pair.listener,
    conn: pair.conn,
    client: pair.client,
  };
}

/** Runs `make` for 0..count-1 with at most `concurrency` at once, in order of index. */
export async function inBatches<T>(count: number, concurrency: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      out[i] = await make(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return out;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
