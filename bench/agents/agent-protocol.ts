// What bench/agents/agent-pool.ts asks a bench agent (bench/agents/bench-agent.ts) to do.
// Keys name the agent's endpoints (e...) and listeners (l...).

type Req<Op extends string, Args = object> = { id: number; op: Op } & Args;

export type AgentRequest =
  | Req<'labListen', { baseUrl: string; code: string; device: string; port: number }>
  | Req<'labConnect', { baseUrl: string; code: string; device: string; host: string; port: number }>
  | Req<'tcpListen'>
  | Req<'tcpConnect', { port: number }>
  | Req<'wsConnect', { url: string }>
  | Req<'accept', { key: string }>
  | Req<'send', { key: string; size: number; total: number }>
  | Req<'read', { key: string; total: number }>
  | Req<'ping', { key: string; size: number; rounds: number; warmup: number }>
  | Req<'echo', { key: string }>
  | Req<'chat', { key: string; periodMs: number }>
  | Req<'openWindow'>
  | Req<'closeWindow'>
  | Req<'closeAll'>;

/** What each request answers. */
export interface AgentReplies {
  labListen: { key: string; host: string };
  labConnect: { key: string };
  tcpListen: { key: string; port: number };
  tcpConnect: { key: string };
  wsConnect: { key: string };
  accept: { key: string };
  send: null;
  read: null;
  ping: number[];
  echo: null;
  chat: null;
  openWindow: null;
  closeWindow: { samples: number[]; silent: number; errors: string[] };
  closeAll: null;
}

export type AgentReply = { id: number; ok: unknown } | { id: number; err: string };
