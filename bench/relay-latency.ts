// Relay latency (issue 6, item 2): 64-byte ping-pong round trips between two consoles'
// programs through the lab, p50 and p99, with 1, 10 and 80 pairs busy at once (each pair its
// own two consoles, as two students' tabs), against raw TCP echo pairs on loopback and against
// WebSocket clients pinging a TCP echo server through websockify. The pinging and echoing
// programs run in bench agents (bench/agents/), four processes, each link's ends in two.
// Run alone: npx tsx bench/relay-latency.ts [--quick]

import { pathToFileURL } from 'node:url';
import { figureOf, formatTable, percentile, type MeasureRow } from './measure.ts';
import { startBenchLab, withTimeout } from './lab-pair.ts';
import { findWebsockify, sampleThreeWays } from './websockify.ts';
import { AgentPool } from './agents/agent-pool.ts';
import { labWay, rawWay, websockifyWay, type Link, type Way } from './agents/links.ts';
import type { CpuMeter, CpuUse } from './process-cpu.ts';

const PING_BYTES = 64;
/** Round trips each pair does before its samples count. */
const WARMUP = 10;
/** One run (all pairs' round trips) may take at most this long. */
const RUN_TIMEOUT_MS = 120_000;

/** Round trips per pair: about the same total, at least 100 per pair (quick: far fewer). */
export function roundsPerPair(pairs: number, quick: boolean): number {
  return quick ? Math.max(20, Math.floor(300 / pairs)) : Math.max(100, Math.floor(3000 / pairs));
}

export interface PingPongRun {
  p50: number;
  p99: number;
  /** Round trips of all pairs, warm-up included (what the CPU was spent on). */
  roundTrips: number;
  /** The CPU each group of `meter` used while the pairs ping-ponged (link set-up not included). */
  cpu?: CpuUse;
}

/**
 * `pairs` links of `way` ping-ponging 64 bytes at once, the pinging and the echoing programs
 * spread over the agents (each link's two ends in two processes); round trips in ms, as the
 * pinging program saw them; with a `meter`, the CPU its groups used while they did.
 */
export async function pingPongOnce(way: Way, pairs: number, rounds: number, what: string, meter?: CpuMeter): Promise<PingPongRun> {
  try {
    const links: Link[] = [];
    for (let i = 0; i < pairs; i++) links.push(await way.link(i));
    await Promise.all(links.map(({ a }) => a.agent.ask('echo', { key: a.key })));
    meter?.start();
    const perLink = await withTimeout(
      Promise.all(links.map(({ b }) => b.agent.ask('ping', { key: b.key, size: PING_BYTES, rounds, warmup: WARMUP }))),
      RUN_TIMEOUT_MS,
      `${what} ping-pong with ${pairs} pairs`,
    );
    const cpu = meter?.stop();
    const samples = perLink.flat();
    return { p50: percentile(samples, 50), p99: percentile(samples, 99), roundTrips: links.length * (rounds + WARMUP), ...(cpu ? { cpu } : {}) };
  } finally {
    await way.close();
  }
}

export async function run(options: { quick: boolean }): Promise<MeasureRow[]> {
  const runs = options.quick ? 1 : 3;
  const wsk = await findWebsockify();
  const lab = await startBenchLab();
  const pool = AgentPool.start();
  const rows: MeasureRow[] = [];
  let runIndex = 0;
  try {
    for (const pairs of [1, 10, 80]) {
      const rounds = roundsPerPair(pairs, options.quick);
      const { ours, raw, websockify: wskRuns, websockifyNote: wskNote } = await sampleThreeWays(runs, wsk, {
        ours: async () => pingPongOnce(labWay(pool, lab.baseUrl, await lab.createLab(), `rt${runIndex++}`), pairs, rounds, 'relay'),
        raw: () => pingPongOnce(rawWay(pool), pairs, rounds, 'raw'),
        websockify: (path) => pingPongOnce(websockifyWay(pool, path), pairs, rounds, 'websockify'),
      });
      const detail = `${pairs} pair${pairs > 1 ? 's' : ''} x ${rounds} round trips per run`;
      for (const p of ['p50', 'p99'] as const) {
        const measure = `round trip 64 B, ${pairs} pair${pairs > 1 ? 's' : ''} busy, ${p}`;
        const oursFigure = figureOf(ours.map((x) => x[p]));
        const gated = p === 'p99' && pairs === 80;
        rows.push({
          measure,
          unit: 'ms',
          better: 'lower',
          ours: oursFigure,
          baseline: { name: 'raw TCP', figure: figureOf(raw.map((x) => x[p])) },
          ...(gated ? { goal: 'at most 2 ms', met: oursFigure.median <= 2 } : {}),
          note: detail,
        });
        const wskFigure = wskRuns.length > 0 ? figureOf(wskRuns.map((x) => x[p])) : null;
        rows.push({
          measure,
          unit: 'ms',
          better: 'lower',
          ours: oursFigure,
          baseline: wskFigure ? { name: 'websockify', figure: wskFigure } : null,
          ...(gated ? { goal: 'at most 0.5x websockify', met: wskFigure !== null && oursFigure.median <= 0.5 * wskFigure.median } : {}),
          ...(wskNote ? { note: wskNote } : {}),
        });
      }
    }
  } finally {
    await pool.stop();
    await lab.close();
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await run({ quick: process.argv.includes('--quick') });
  console.log(formatTable(rows));
}
