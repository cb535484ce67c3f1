// What every benchmark reports: one row per measure, our figure beside its baseline's, both
// measured in the same run, each the median of several runs with its spread.

import { fileURLToPath } from 'node:url';

export interface Figure {
  /** Median of the runs. */
  median: number;
  /** Lowest and highest of the runs. */
  min: number;
  max: number;
  runs: number;
}

export interface MeasureRow {
  /** What is measured, e.g. "throughput 16 KiB messages". */
  measure: string;
  unit: string;
  /** Larger is better (throughput) or smaller is better (latency, bytes, time). */
  better: 'higher' | 'lower';
  ours: Figure;
  /** The baseline's name ("raw node:net pipe", "websockify") and figure; null when there is none. */
  baseline: { name: string; figure: Figure } | null;
  /** The goal it is held to, in words ("at least 0.5x the raw pipe"), and whether it is met. */
  goal?: string;
  met?: boolean;
  /** Anything a reader must know (e.g. why a baseline is missing). */
  note?: string;
}

export function figureOf(samples: number[]): Figure {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)!, runs: sorted.length };
}

/** The p-th percentile (0-100) of samples, nearest rank. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** ours / baseline, so that > 1 means more (of whatever the unit is). */
export function ratio(row: MeasureRow): number | null {
  if (!row.baseline || row.baseline.figure.median === 0) return null;
  return row.ours.median / row.baseline.figure.median;
}

function fmt(n: number): string {
  if (n === 0) return '0';
  const abs = Math.abs(n);
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  if (abs >= 1) return n.toFixed(2);
  return n.toPrecision(2);
}

function fmtFigure(f: Figure): string {
  return f.runs > 1 ? `${fmt(f.median)} (${fmt(f.min)}-${fmt(f.max)})` : fmt(f.median);
}

/** The rows as a plain-text table. */
export function formatTable(rows: MeasureRow[]): string {
  const header = ['measure', 'unit', 'ours (min-max)', 'baseline', 'baseline (min-max)', 'ratio', 'goal', 'met'];
  const lines = rows.map((r) => {
    const q = ratio(r);
    return [
      r.measure,
      r.unit,
      fmtFigure(r.ours),
      r.baseline?.name ?? '-',
      r.baseline ? fmtFigure(r.baseline.figure) : '-',
      q === null ? '-' : `${fmt(q)}x`,
      r.goal ?? '',
      r.met === undefined ? '' : r.met ? 'yes' : 'NO',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const notes = rows.filter((r) => r.note).map((r) => `  note (${r.measure}): ${r.note}`);
  return [row(header), row(widths.map((w) => '-'.repeat(w))), ...lines.map(row), ...notes].join('\n');
}

/** Runs a benchmark's run() when its file is the one node was started with (`npx tsx
 * bench/X.ts [--quick]`), printing its rows; imported by run-bench.ts, it does nothing. */
export function runWhenCalledDirectly(moduleUrl: string, run: (options: { quick: boolean }) => Promise<MeasureRow[]>): void {
  if (!process.argv[1] || fileURLToPath(moduleUrl) !== process.argv[1]) return;
  run({ quick: process.argv.includes('--quick') })
    .then((rows) => console.log(formatTable(rows)))
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    });
}
