// The parent's side of the bench agents: starts N child processes (bench/agents/bench-agent.ts)
// and sends them requests; each answer comes back to the request's promise. Agents stop when
// the pool is closed (their IPC channel closes) or this process exits.

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AgentReplies, AgentReply, AgentRequest } from './agent-protocol.ts';

const AGENT_SCRIPT = fileURLToPath(new URL('./bench-agent.ts', import.meta.url));
/** Agents by default: more than the machine's 2 cores, so no agent is every page's queue. */
export const DEFAULT_AGENTS = 4;

type Op = AgentRequest['op'];
type ArgsOf<O extends Op> = Omit<Extract<AgentRequest, { op: O }>, 'id' | 'op'>;

export class Agent {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: AgentReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if ('err' in reply) p.reject(new Error(reply.err));
      else p.resolve(reply.ok);
    });
    child.once('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`bench agent exited (${code})`));
      this.pending.clear();
    });
  }

  /** Its process id (the CPU it spends is measured: bench/process-cpu.ts). */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  ask<O extends Op>(op: O, args: ArgsOf<O>): Promise<AgentReplies[O]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, op, ...args });
    });
  }

  stop(): Promise<void> {
    if (this.child.exitCode !== null) return Promise.resolve();
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    return exited.finally(() => clearTimeout(timer));
  }
}

export class AgentPool {
  private constructor(readonly agents: Agent[]) {}

  static start(count = DEFAULT_AGENTS): AgentPool {
    // BENCH_AGENT_ARGS: node options for the agents, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    const extra = (process.env.BENCH_AGENT_ARGS ?? '').split(/\s+/).filter(Boolean);
    const options = { execArgv: [...extra, '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] as const };
    const agents = Array.from({ length: count }, () => new Agent(fork(AGENT_SCRIPT, [], { ...options, stdio: [...options.stdio] })));
    return new AgentPool(agents);
  }

  pids(): number[] {
    return this.agents.map((a) => a.pid);
  }

  /** Agent i, round robin. */
  at(i: number): Agent {
    return this.agents[i % this.agents.length]!;
  }

  /** Every agent closes what it opened. */
  closeAll(): Promise<void> {
    return Promise.all(this.agents.map((a) => a.ask('closeAll', {}))).then(() => undefined);
  }

  stop(): Promise<void> {
    return Promise.all(this.agents.map((a) => a.stop())).then(() => undefined);
  }
}
