// Connections between two bench agents, three ways: through the lab (a program of a console
// listening on one device, a program of another device's console connecting), raw TCP on
// loopback, and a WebSocket client through websockify to a TCP listener. The `a` side listens
// (it receives, or echoes), the `b` side connects (it sends, or pings).

import type { Agent, AgentPool } from './agent-pool.ts';
import { startWebsockify, type RunningWebsockify } from '../websockify.ts';

export interface End {
  agent: Agent;
  key: string;
}

export interface Link {
  a: End;
  b: End;
}

/** Makes links, the i-th between agents (i + 1) and i of the pool; close() stops what it started. */
export interface Way {
  link(i: number): Promise<Link>;
  close(): Promise<void>;
}

const sides = (pool: AgentPool, i: number) => ({ a: pool.at(i + 1), b: pool.at(i) });

/** Through the lab: each link two consoles on two devices of lab `code`, as two students' tabs. */
export function labWay(pool: AgentPool, baseUrl: string, code: string, tag: string, port = 9000): Way {
  return {
    async link(i) {
      const { a, b } = sides(pool, i);
      const listening = await a.ask('labListen', { baseUrl, code, device: `${tag}-a-${i}-${code}`, port });
      const [conn, client] = await Promise.all([
        a.ask('accept', { key: listening.key }),
        b.ask('labConnect', { baseUrl, code, device: `${tag}-b-${i}-${code}`, host: listening.host, port }),
      ]);
      return { a: { agent: a, key: conn.key }, b: { agent: b, key: client.key } };
    },
    close: () => pool.closeAll(),
  };
}

/**
 * A listener per `a` agent (made on first use, then shared by that agent's links), reached
 * directly (raw TCP) or through a websockify started in front of it.
 */
function listenerWay(pool: AgentPool, connect: (b: Agent, port: number) => Promise<{ key: string }>, front?: (port: number) => Promise<RunningWebsockify>): Way {
  const listeners = new Map<Agent, Promise<{ key: string; port: number }>>();
  const relays: RunningWebsockify[] = [];
  return {
    async link(i) {
      const { a, b } = sides(pool, i);
      let listening = listeners.get(a);
      if (!listening) {
        listening = a.ask('tcpListen', {}).then(async (l) => {
          if (!front) return l;
          const relay = await front(l.port);
          relays.push(relay);
          return { key: l.key, port: relay.port };
        });
        listeners.set(a, listening);
      }
      const { key, port } = await listening;
      const [conn, client] = await Promise.all([a.ask('accept', { key }), connect(b, port)]);
      return { a: { agent: a, key: conn.key }, b: { agent: b, key: client.key } };
    },
    async close() {
      await pool.closeAll();
      await Promise.all(relays.map((r) => r.stop()));
    },
  };
}

export function rawWay(pool: AgentPool): Way {
  return listenerWay(pool, (b, port) => b.ask('tcpConnect', { port }));
}

export function websockifyWay(pool: AgentPool, path: string): Way {
  return listenerWay(
    pool,
    (b, port) => b.ask('wsConnect', { url: `ws://127.0.0.1:${port}/` }),
    (port) => startWebsockify(path, port),
  );
}
