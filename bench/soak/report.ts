// The soak's report: totals over every stream, the server's memory over time, errors, and the
// verdict (zero lost, reordered, corrupt, errors; every stream's checksum matching). Pure.

import type { StreamVerdict } from './frame.ts';

export interface MemorySample {
  /** Seconds since the start of the run. */
  t: number;
  rss: number;
  heapUsed: number;
}

export interface MemorySummary {
  samples: number;
  first: number;
  last: number;
  max: number;
  /** Least-squares slope, bytes per minute. */
  slopePerMinute: number;
}

export interface SoakReport {
  pairs: number;
  streams: number;
  seconds: number;
  sent: number;
  received: number;
  bytesSent: number;
  bytesReceived: number;
  lost: number;
  reordered: number;
  corrupt: number;
  checksumMismatches: number;
  errors: string[];
  rss: MemorySummary | null;
  heapUsed: MemorySummary | null;
  ok: boolean;
}

/** Least-squares slope of y over x (0 with fewer than two distinct x). */
export function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export function summarizeMemory(samples: MemorySample[], key: 'rss' | 'heapUsed'): MemorySummary | null {
  if (samples.length === 0) return null;
  const values = samples.map((s) => s[key]);
  return {
    samples: samples.length,
    first: values[0]!,
    last: values.at(-1)!,
    max: Math.max(...values),
    slopePerMinute: slope(samples.map((s) => ({ x: s.t / 60, y: s[key] }))),
  };
}

export function buildReport(input: {
  pairs: number;
  seconds: number;
  verdicts: StreamVerdict[];
  errors: string[];
  memory: MemorySample[];
}): SoakReport {
  const sum = (k: keyof StreamVerdict) => input.verdicts.reduce((s, v) => s + Number(v[k]), 0);
  const report: SoakReport = {
    pairs: input.pairs,
    streams: input.verdicts.length,
    seconds: input.seconds,
    sent: sum('sent'),
    received: sum('received'),
    bytesSent: sum('bytesSent'),
    bytesReceived: sum('bytesReceived'),
    lost: sum('lost'),
    reordered: sum('reordered'),
    corrupt: sum('corrupt'),
    checksumMismatches: input.verdicts.filter((v) => !v.checksumMatches).length,
    errors: input.errors,
    rss: summarizeMemory(input.memory, 'rss'),
    heapUsed: summarizeMemory(input.memory, 'heapUsed'),
    ok: false,
  };
  report.ok =
    report.streams === input.pairs * 2 &&
    report.lost === 0 &&
    report.reordered === 0 &&
    report.corrupt === 0 &&
    report.checksumMismatches === 0 &&
    report.errors.length === 0 &&
    report.sent === report.received;
  return report;
}

const MiB = 1024 * 1024;
const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;

function memoryLine(name: string, m: MemorySummary | null): string {
  if (!m) return `${name}: no samples`;
  const sign = m.slopePerMinute >= 0 ? '+' : '-';
  return `${name}: first ${mib(m.first)}, last ${mib(m.last)}, max ${mib(m.max)}, slope ${sign}${mib(Math.abs(m.slopePerMinute))}/min (${m.samples} samples)`;
}

export function formatReport(r: SoakReport): string {
  const lines = [
    `soak: ${r.pairs} pairs (${r.streams} streams), ${r.seconds.toFixed(1)} s`,
    `  messages sent ${r.sent}, received ${r.received}; bytes sent ${r.bytesSent}, received ${r.bytesReceived}`,
    `  lost ${r.lost}, reordered ${r.reordered}, corrupt ${r.corrupt}, checksum mismatches ${r.checksumMismatches}, errors ${r.errors.length}`,
    `  ${memoryLine('rss', r.rss)}`,
    `  ${memoryLine('heapUsed', r.heapUsed)}`,
    ...r.errors.slice(0, 10).map((e) => `  error: ${e}`),
    r.errors.length > 10 ? `  (${r.errors.length - 10} more errors)` : '',
    `  ${r.ok ? 'OK' : 'FAILED'}`,
  ];
  return lines.filter((l) => l !== '').join('\n');
}
