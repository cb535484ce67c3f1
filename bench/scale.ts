// Scale: the most consoles and sockets one server holds on this machine while every pair keeps
// chatting at 5 lines a second with the p99 round trip under 50 ms, and the server's memory per
// console. The server runs in a child process (`server/main.ts`) so that its memory (VmRSS from
// /proc) is its own; the consoles are driven by four bench agents (bench/agents/), each pair's
// two consoles in two of them, as pages would. The load climbs
// in steps (pairs are added, never restarted), each held a few seconds; the first step that
// misses the p99 or memory bound, or where a pair cannot be opened or falls silent, ends the
// climb, and the rows say where and why. A step over the p99 bound is held once more first,
// and the second window decides: the agents share the server's cores, and one burst of other
// work should not decide a capacity. Each step also says how many cores the server's
// processes and the agents kept busy (bench/process-cpu.ts). No baseline: a raw TCP echo at the same count would
// measure the kernel, not a limit of ours (the note says so).
// Alone: npx tsx bench/scale.ts [--quick]

import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { startBenchServer, totalRss, type BenchServer } from './bench-server.ts';
import { figureOf, formatTable, percentile, type MeasureRow } from './measure.ts';
import { inBatches, LabClient, sleep } from './soak/lab-client.ts';
import { AgentPool } from './agents/agent-pool.ts';
import { labWay, type Way } from './agents/links.ts';
import { coresBusy, coresText, CpuMeter } from './process-cpu.ts';

export const P99_BOUND_MS = 50;
export const RSS_BOUND_BYTES = 400 * 1024 * 1024;
const LINES_PER_SECOND = 5;
const PAIRS_PER_LAB = 50;
export const STEPS = [100, 200, 400, 700, 1000, 1400, 2000];
export const QUICK_STEPS = [20];

export interface StepResult {
  consoles: number;
  sockets: number;
  p99: number | null;
  rss: number;
  rttSamples: number;
  passed: boolean;
  why: string | null;
  /** Cores busy during the step's window: the server's processes and the bench's agents. */
  cores: { server: number; agents: number } | null;
  /** The p99 of a first window over the bound, when the step was held again (p99 is the second's). */
  firstP99: number | null;
}

export interface Climb {
  results: StepResult[];
  idleRss: number;
  /** Labs per lab worker (index), as the server answered for them. */
  labsPerWorker: number[];
}

/**
 * Climbs `steps` (consoles) on `server`, `pairsPerLab` pairs in each lab (a new lab for each
 * pairsPerLab pairs), until a step fails. The caller starts and stops the server.
 */
export async function climb(server: BenchServer, options: { steps: number[]; holdMs: number; pairsPerLab: number; rssBoundBytes?: number }): Promise<Climb> {
  const { steps, holdMs, pairsPerLab } = options;
  const rssBound = options.rssBoundBytes ?? RSS_BOUND_BYTES;
  const pool = AgentPool.start();
  const labs: Way[] = [];
  const labsPerWorker: number[] = [];
  let chats = 0;
  const results: StepResult[] = [];
  const meter = new CpuMeter({ server: () => server.pids(), agents: () => pool.pids() });
  try {
    await sleep(500);
    const idleRss = totalRss(server.pids());
    for (const consoles of steps) {
      const pairs = consoles / 2;
      let why: string | null = null;
      try {
        while (labs.length < Math.ceil(pairs / pairsPerLab)) {
          const code = await server.createLab();
          const worker = await server.workerOf(code);
          labsPerWorker[worker] = (labsPerWorker[worker] ?? 0) + 1;
          labs.push(labWay(pool, server.baseUrl, code, 'scale'));
        }
        // Each pair: the listener's side echoes, the client's side chats (bench/agents/workloads.ts).
        await inBatches(pairs - chats, 16, async (k) => {
          const i = chats + k;
          const { a, b } = await labs[Math.floor(i / pairsPerLab)]!.link(i);
          await a.agent.ask('echo', { key: a.key });
          await b.agent.ask('chat', { key: b.key, periodMs: 1000 / LINES_PER_SECOND });
        });
        chats = pairs;
      } catch (err) {
        why = `opening pairs failed: ${String(err)}`;
      }
      let held: Held | null = null;
      let firstP99: number | null = null;
      if (!why) {
        await sleep(1000); // the new pairs settle
        held = await hold(pool, meter, holdMs);
        // A p99 over the bound is held once more before it ends the climb: one burst of the
        // machine's other work (the agents share its cores) must not decide a capacity.
        if (held.overBound && !server.exited()) {
          firstP99 = held.p99;
          held = await hold(pool, meter, holdMs);
        }
        why = held.why;
      }
      const p99 = held?.p99 ?? null;
      const samples = held?.samples ?? 0;
      const cores = held?.cores ?? null;
      const rss = totalRss(server.pids());
      if (!why && rss >= rssBound) why = `server RSS ${(rss / 2 ** 20).toFixed(0)} MB (bound ${(rssBound / 2 ** 20).toFixed(0)} MB)`;
      if (server.exited()) why = 'the server exited';
      results.push({ consoles, sockets: (consoles / 2) * 3, p99, rss, rttSamples: samples, passed: !why, why, cores, firstP99 });
      console.error(
        `scale (${server.name}): ${consoles} consoles, ${(consoles / 2) * 3} sockets: p99 ${p99?.toFixed(1) ?? '-'} ms over ${samples} round trips${firstP99 !== null ? ` (held again after ${firstP99.toFixed(1)} ms)` : ''}, server RSS ${(rss / 2 ** 20).toFixed(0)} MB${cores ? `, ${coresText(cores)}` : ''}${why ? `: FAILED, ${why}` : ''}`,
      );
      if (why) break;
    }
    return { results, idleRss, labsPerWorker: Array.from(labsPerWorker, (n) => n ?? 0) };
  } finally {
    await pool.closeAll().catch(() => undefined);
    await pool.stop();
  }
}

interface Held {
  p99: number | null;
  samples: number;
  cores: { server: number; agents: number };
  /** Why the window fails the step, or null. */
  why: string | null;
  /** It fails on the p99 bound alone (no errors, every pair answered). */
  overBound: boolean;
}

/** One window of `holdMs` over the chatting pairs: their round trips' p99, the cores busy, and why it fails. */
async function hold(pool: AgentPool, meter: CpuMeter, holdMs: number): Promise<Held> {
  await Promise.all(pool.agents.map((a) => a.ask('openWindow', {})));
  meter.start();
  await sleep(holdMs);
  const busy = coresBusy(meter.stop());
  const cores = { server: busy.server!, agents: busy.agents! };
  const windows = await Promise.all(pool.agents.map((a) => a.ask('closeWindow', {})));
  const all = windows.flatMap((w) => w.samples);
  const p99 = all.length > 0 ? percentile(all, 99) : null;
  const errors = windows.flatMap((w) => w.errors);
  const silent = windows.reduce((n, w) => n + w.silent, 0);
  let why: string | null = null;
  let overBound = false;
  if (errors.length > 0) why = errors[0]!;
  else if (silent > 0) why = `${silent} pairs had no reply in ${holdMs / 1000} s`;
  else if (p99 === null || p99 >= P99_BOUND_MS) {
    why = `p99 round trip ${p99?.toFixed(1)} ms (bound ${P99_BOUND_MS} ms)`;
    overBound = p99 !== null;
  }
  return { p99, samples: all.length, cores, why, overBound };
}

/** The largest step that passed, or null. */
export function bestStep(c: Climb): StepResult | null {
  return c.results.filter((r) => r.passed).at(-1) ?? null;
}

/** Where the climb stopped, and each step, in words. */
export function climbNote(c: Climb, steps: number[]): string {
  const failed = c.results.find((r) => !r.passed) ?? null;
  const where = failed
    ? `failed at ${failed.consoles} consoles (${failed.sockets} sockets): ${failed.why}`
    : `every step passed up to the cap of ${steps.at(-1)} consoles`;
  const each = c.results
    .map((r) => `${r.consoles}: p99 ${r.p99?.toFixed(1) ?? '-'} ms${r.firstP99 !== null ? ` (held again after ${r.firstP99.toFixed(1)} ms)` : ''}, ${(r.rss / 2 ** 20).toFixed(0)} MB${r.cores ? `, ${coresText(r.cores)}` : ''}${r.passed ? '' : ' (failed)'}`)
    .join('; ');
  return `${where}; steps ${each} (of the machine's ${availableParallelism()} cores)`;
}

export async function run(options: { quick: boolean }): Promise<MeasureRow[]> {
  const steps = options.quick ? QUICK_STEPS : STEPS;
  // One process (--workers 1), as the server was before lab workers; bench/workers.ts compares.
  const server = await startBenchServer({ workers: 1, consoles: steps.at(-1)! });
  try {
    const c = await climb(server, { steps, holdMs: options.quick ? 2000 : 5000, pairsPerLab: PAIRS_PER_LAB });
    return rowsOf(c, steps);
  } finally {
    await server.stop();
  }
}

function rowsOf(c: Climb, steps: number[]): MeasureRow[] {
  const { results, idleRss } = c;
  const best = bestStep(c);
  const noBaseline = 'no baseline (none is meaningful for a count of consoles)';
  const rows: MeasureRow[] = [
    {
      measure: 'scale: consoles held chatting 5 lines/s/pair, p99 < 50 ms, server < 400 MB',
      unit: 'consoles',
      better: 'higher',
      ours: figureOf([best?.consoles ?? 0]),
      baseline: null,
      goal: 'at least 1000 consoles (2000 TCP sockets) under 400 MB',
      met: steps.at(-1)! < 1000 ? undefined : (best?.consoles ?? 0) >= 1000 && best!.sockets >= 2000 && best!.rss < RSS_BOUND_BYTES,
      note: `${climbNote(c, steps)}; each pair = 2 consoles, 2 connected sockets and a listener; ${noBaseline}`,
    },
  ];
  if (best) {
    rows.push({
      measure: `scale: server memory per console at ${best.consoles} consoles`,
      unit: 'KiB',
      better: 'lower',
      ours: figureOf([(best.rss - idleRss) / best.consoles / 1024]),
      baseline: null,
      goal: 'under 400 MB for 1000 consoles',
      note: `(RSS ${(best.rss / 2 ** 20).toFixed(0)} MB - idle ${(idleRss / 2 ** 20).toFixed(0)} MB) / ${best.consoles}; ${noBaseline}`,
    });
  }
  for (const r of results) {
    if (r.p99 !== null) {
      rows.push({ measure: `scale: p99 round trip at ${r.consoles} consoles`, unit: 'ms', better: 'lower', ours: figureOf([r.p99]), baseline: null, goal: 'under 50 ms', met: r.p99 < P99_BOUND_MS });
    }
    rows.push({ measure: `scale: server RSS at ${r.consoles} consoles`, unit: 'MB', better: 'lower', ours: figureOf([r.rss / 2 ** 20]), baseline: null, goal: 'under 400 MB', met: r.rss < RSS_BOUND_BYTES });
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run({ quick: process.argv.includes('--quick') }).then(
    (rows) => {
      console.log(formatTable(rows));
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
