// Relay throughput (issue 6, item 1): bytes from one console's program to another's through
// the lab (page-side protocol client -> WebSocket -> bridge -> real TCP -> bridge -> WebSocket
// -> client), against a raw node:net pipe on loopback doing the same transfer, and against
// websockify relaying the same bytes from a WebSocket client to a TCP sink. In all three the
// sender and the receiver are programs of two bench agents (bench/agents/), two processes, as
// two laptops are, beside the server's own process.
// Run alone: npx tsx bench/relay-throughput.ts [--quick]

import { pathToFileURL } from 'node:url';
import { figureOf, formatTable, type MeasureRow } from './measure.ts';
import { startBenchLab, withTimeout } from './lab-pair.ts';
import { findWebsockify, sampleThreeWays } from './websockify.ts';
import { AgentPool } from './agents/agent-pool.ts';
import { labWay, rawWay, websockifyWay, type Way } from './agents/links.ts';

const KiB = 1024;
const MiB = 1024 * KiB;
/** Uncounted transfers of each way before the counted ones, until V8 has optimised the hot path. */
const WARMUP_RUNS = 5;
/** One transfer may take at most this long. */
const TRANSFER_TIMEOUT_MS = 120_000;

interface Size {
  label: string;
  bytes: number;
  /** Bytes moved per run (full, quick). */
  total: number;
  quickTotal: number;
  goal: boolean;
}

const SIZES: Size[] = [
  { label: '64 B', bytes: 64, total: 2 * MiB, quickTotal: 256 * KiB, goal: false },
  { label: '16 KiB', bytes: 16 * KiB, total: 64 * MiB, quickTotal: 16 * MiB, goal: true },
  { label: '1 MiB', bytes: MiB, total: 64 * MiB, quickTotal: 16 * MiB, goal: true },
];

function mibPerSecond(bytes: number, ms: number): number {
  return bytes / MiB / (ms / 1000);
}

/**
 * One transfer over a fresh link of `way`: the sending program (agent b) sendalls `total / size`
 * messages while the receiving one (agent a, another process) recvs to the end; MiB/s from
 * the start of both to the last byte read.
 */
async function transferOnce(way: Way, size: number, total: number, what: string): Promise<number> {
  try {
    const { a, b } = await way.link(0);
    const start = performance.now();
    await withTimeout(
      Promise.all([b.agent.ask('send', { key: b.key, size, total }), a.agent.ask('read', { key: a.key, total })]),
      TRANSFER_TIMEOUT_MS,
      `${what} transfer of ${size}-byte messages`,
    );
    return mibPerSecond(total, performance.now() - start);
  } finally {
    await way.close();
  }
}

export async function run(options: { quick: boolean }): Promise<MeasureRow[]> {
  const runs = options.quick ? 1 : 3;
  const wsk = await findWebsockify();
  const lab = await startBenchLab();
  const pool = AgentPool.start(2);
  const rows: MeasureRow[] = [];
  try {
    const code = await lab.createLab();
    let index = 0;
    for (const size of SIZES) {
      const total = options.quick ? size.quickTotal : size.total;
      const { ours, raw, websockify: wskRuns, websockifyNote: wskNote } = await sampleThreeWays(runs, wsk, {
        ours: () => transferOnce(labWay(pool, lab.baseUrl, code, `tp${index++}`), size.bytes, total, 'relay'),
        raw: () => transferOnce(rawWay(pool), size.bytes, total, 'raw'),
        websockify: (path) => transferOnce(websockifyWay(pool, path), size.bytes, total, 'websockify'),
      }, WARMUP_RUNS);
      const oursFigure = figureOf(ours);
      const rawFigure = figureOf(raw);
      const measure = `throughput ${size.label} messages`;
      const detail = `${total / MiB} MiB per run`;
      rows.push({
        measure,
        unit: 'MiB/s',
        better: 'higher',
        ours: oursFigure,
        baseline: { name: 'raw node:net pipe', figure: rawFigure },
        ...(size.goal ? { goal: 'at least 0.5x the raw pipe', met: oursFigure.median >= 0.5 * rawFigure.median } : {}),
        note: size.goal ? detail : `${detail}; each sendall is a WebSocket message to the server and each recv a credit back, where a raw write only copies into the kernel`,
      });
      const wskFigure = wskRuns.length > 0 ? figureOf(wskRuns) : null;
      rows.push({
        measure,
        unit: 'MiB/s',
        better: 'higher',
        ours: oursFigure,
        baseline: wskFigure ? { name: 'websockify', figure: wskFigure } : null,
        ...(size.goal && wskFigure ? { goal: 'at least 3x websockify', met: oursFigure.median >= 3 * wskFigure.median } : {}),
        ...(size.goal && !wskFigure ? { goal: 'at least 3x websockify', met: false } : {}),
        note: [detail, 'websockify: one WebSocket hop to a TCP sink; ours: two hops and real TCP between', wskNote].filter(Boolean).join('; '),
      });
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
