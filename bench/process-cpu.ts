// Who used the machine during a measure: the CPU time of processes (utime + stime from
// /proc/PID/stat) over a span of wall time, by group ("server", "agents"). The relay benches
// print it beside their latencies, because on a machine whose cores the bench's own agents
// share with the server, a round trip's latency follows the CPU every party spends on it.

import { readFileSync } from 'node:fs';

/** Linux's USER_HZ, the unit of /proc/PID/stat's times (`getconf CLK_TCK`), on every common build. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds a process has used so far (user and system); 0 once it is gone. */
export function cpuSecondsOf(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 (utime, stime) of proc(5), the 12th and 13th after the name.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

export interface CpuUse {
  /** Wall time of the span, seconds. */
  seconds: number;
  /** CPU seconds each group used in it. */
  cpuSeconds: Record<string, number>;
}

/** The cores each group kept busy over the span: CPU seconds per second of wall time. */
export function coresBusy(use: CpuUse): Record<string, number> {
  return Object.fromEntries(Object.entries(use.cpuSeconds).map(([group, cpu]) => [group, cpu / use.seconds]));
}

/** "cores 0.92 server + 1.01 agents" */
export function coresText(cores: { server: number; agents: number }): string {
  return `cores ${cores.server.toFixed(2)} server + ${cores.agents.toFixed(2)} agents`;
}

/** Measures groups of processes (each a function giving its pids now) from start() to stop(). */
export class CpuMeter {
  private startedAt = 0;
  private readonly before = new Map<number, number>();

  constructor(private readonly groups: Record<string, () => readonly number[]>) {}

  start(): void {
    this.before.clear();
    for (const pids of Object.values(this.groups)) for (const pid of pids()) this.before.set(pid, cpuSecondsOf(pid));
    this.startedAt = performance.now();
  }

  stop(): CpuUse {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const cpuSeconds: Record<string, number> = {};
    for (const [group, pids] of Object.entries(this.groups)) {
      // A process that started during the span (a restarted worker) counts from 0.
      cpuSeconds[group] = pids().reduce((sum, pid) => sum + cpuSecondsOf(pid) - (this.before.get(pid) ?? 0), 0);
    }
    return { seconds, cpuSeconds };
  }
}
