// A benchmark agent: a child process that plays the programs of some pages (or of the
// baselines' clients and servers), told what to do by bench/agents/agent-pool.ts over IPC.
// Spreading the pages over a few processes, as a class spreads them over its laptops, keeps
// one client's event loop from being every client's queue; the server is measured, not the
// bench's own single thread. Every reply is { id, ok } or { id, err }.

import net from 'node:net';
import WebSocket from 'ws';
import type { BridgeSession } from '../../web/common/bridge/bridge-session.ts';
import { ProgramProcess } from '../../web/common/programs/program-process.ts';
import type { PySocket } from '../../web/common/net/py-socket.ts';
import { LabClient } from '../soak/lab-client.ts';
import { tcpEndpoint, wsEndpoint, type Endpoint } from './endpoints.ts';
import { chat, echo, ping, readStream, sendStream } from './workloads.ts';
import type { AgentRequest } from './agent-protocol.ts';

const endpoints = new Map<string, Endpoint>();
const listeners = new Map<string, () => Promise<Endpoint>>();
const closers: (() => void)[] = [];
const background: string[] = [];
let nextKey = 1;
/** Counts closeAll()s: work started before the last one is over, and its errors are not news. */
let generation = 0;
/** Chat round trips while the scale bench's window is open, and replies per chat. */
let window: { samples: number[]; replies: Map<string, number> } | null = null;
const chats = new Set<string>();

function keep(ep: Endpoint): string {
  const key = `e${nextKey++}`;
  endpoints.set(key, ep);
  return key;
}

function endpoint(key: string): Endpoint {
  const ep = endpoints.get(key);
  if (!ep) throw new Error(`no endpoint ${key}`);
  return ep;
}

const clients = new Map<string, LabClient>();
function labClient(baseUrl: string): LabClient {
  let c = clients.get(baseUrl);
  if (!c) clients.set(baseUrl, (c = new LabClient(baseUrl)));
  return c;
}

/** A console of device `device` with one program (nc) in it. */
async function labProgram(baseUrl: string, code: string, device: string): Promise<ProgramProcess> {
  const session: BridgeSession = await labClient(baseUrl).openConsole(code, device);
  const process = await ProgramProcess.spawn(session, 'nc', []);
  closers.push(() => {
    void process.exit().catch(() => undefined);
    session.close();
  });
  return process;
}

function lab(sock: PySocket): Endpoint {
  return { sendall: (d) => sock.sendall(d), recv: (n) => sock.recv(n), close: () => void sock.close() };
}

function inBackground(what: string, started: number, work: Promise<void>): void {
  work.catch((err: unknown) => {
    if (started === generation) background.push(`${what}: ${String(err)}`);
  });
}

async function handle(req: AgentRequest): Promise<unknown> {
  switch (req.op) {
    case 'labListen': {
      const program = await labProgram(req.baseUrl, req.code, req.device);
      const listener = await program.socket();
      await listener.bind(['0.0.0.0', req.port]);
      await listener.listen();
      const key = `l${nextKey++}`;
      listeners.set(key, async () => lab((await listener.accept())[0]));
      return { key, host: program.session.welcome.device.address };
    }
    case 'labConnect': {
      const program = await labProgram(req.baseUrl, req.code, req.device);
      const sock = await program.socket();
      await sock.connect([req.host, req.port]);
      return { key: keep(lab(sock)) };
    }
    case 'tcpListen': {
      const queued: net.Socket[] = [];
      let waiting: ((s: net.Socket) => void) | null = null;
      const server = net.createServer((s) => {
        if (waiting) {
          const w = waiting;
          waiting = null;
          w(s);
        } else queued.push(s);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      closers.push(() => server.close());
      const key = `l${nextKey++}`;
      listeners.set(key, async () => tcpEndpoint(queued.shift() ?? (await new Promise<net.Socket>((r) => (waiting = r)))));
      return { key, port: (server.address() as net.AddressInfo).port };
    }
    case 'accept': {
      const accept = listeners.get(req.key);
      if (!accept) throw new Error(`no listener ${req.key}`);
      return { key: keep(await accept()) };
    }
    case 'tcpConnect': {
      const sock = net.connect({ host: '127.0.0.1', port: req.port });
      await new Promise<void>((resolve, reject) => {
        sock.once('connect', resolve);
        sock.once('error', reject);
      });
      return { key: keep(tcpEndpoint(sock)) };
    }
    case 'wsConnect': {
      const ws = new WebSocket(req.url, { perMessageDeflate: false });
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      return { key: keep(wsEndpoint(ws)) };
    }
    case 'send':
      return sendStream(endpoint(req.key), req.size, req.total);
    case 'read':
      return readStream(endpoint(req.key), req.total);
    case 'ping':
      return ping(endpoint(req.key), req.size, req.rounds, req.warmup);
    case 'echo':
      inBackground(`echo ${req.key}`, generation, echo(endpoint(req.key)));
      return null;
    case 'chat': {
      const key = req.key;
      chats.add(key);
      const onReply = (ms: number) => {
        if (!window) return;
        window.samples.push(ms);
        window.replies.set(key, (window.replies.get(key) ?? 0) + 1);
      };
      const started = generation;
      inBackground(`chat ${key}`, started, chat(endpoint(key), req.periodMs, onReply, () => started !== generation));
      return null;
    }
    case 'openWindow':
      window = { samples: [], replies: new Map() };
      return null;
    case 'closeWindow': {
      const w = window ?? { samples: [], replies: new Map() };
      window = null;
      const silent = [...chats].filter((k) => !w.replies.has(k)).length;
      return { samples: w.samples, silent, errors: background.splice(0) };
    }
    case 'closeAll': {
      generation++;
      for (const ep of endpoints.values()) ep.close();
      for (const close of closers.splice(0)) close();
      for (const c of clients.values()) c.closeAll();
      endpoints.clear();
      listeners.clear();
      chats.clear();
      return null;
    }
  }
}

process.on('message', (req: AgentRequest) => {
  handle(req).then(
    (ok) => process.send!({ id: req.id, ok: ok ?? null }),
    (err: unknown) => process.send!({ id: req.id, err: err instanceof Error ? err.message : String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
