// npm run bench [-- --quick] [--only NAME,...] [--out FILE]: runs every benchmark, prints the
// table and writes the rows as JSON (bench/results.json by default) with the date and the
// machine, so that runs can be compared. Each benchmark measures its baseline in the same run.

import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { helpText, OptionError, readCommandLine, type CommandLine, type OptionTable } from '../server/cli/option-table.ts';
import { formatTable, ratio, type MeasureRow } from './measure.ts';

interface Benchmark {
  name: string;
  load(): Promise<{ run(options: { quick: boolean }): Promise<MeasureRow[]> }>;
}

const BENCHMARKS: Benchmark[] = [
  { name: 'throughput', load: () => import('./relay-throughput.ts') },
  { name: 'latency', load: () => import('./relay-latency.ts') },
  { name: 'scale', load: () => import('./scale.ts') },
  // --workers 1 and 2 and HAProxy with two instances, side by side (issue 14).
  { name: 'workers', load: () => import('./workers.ts') },
  { name: 'page', load: () => import('./page-load.ts') },
  { name: 'python', load: () => import('./browser-python.ts') },
  { name: 'pyservers', load: () => import('./python-servers.ts') },
];

function benchmarkNames(text: string, what: string): string[] {
  const names = text.split(',').map((n) => n.trim()).filter((n) => n !== '');
  if (names.length === 0) throw new OptionError(`${what}: name at least one benchmark`);
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length > 0) throw new OptionError(`${what}: no benchmark called ${unknown.join(', ')} (there are ${BENCHMARKS.map((b) => b.name).join(', ')})`);
  return names;
}

const BENCH_OPTIONS = {
  quick: { kind: 'flag', help: 'a smoke run: fewer runs and bytes, one scale step of 20 consoles' },
  only: {
    kind: 'value',
    placeholder: 'NAME,...',
    defaultText: 'all',
    parse: benchmarkNames,
    help: `run only these benchmarks, of ${BENCHMARKS.map((b) => b.name).join(', ')}`,
  },
  out: { kind: 'value', placeholder: 'FILE', default: 'bench/results.json', parse: (text) => text, help: 'where the rows are written as JSON' },
} satisfies OptionTable;

const BENCH_COMMAND_LINE: CommandLine<typeof BENCH_OPTIONS> = {
  command: 'npm run bench --',
  about: 'Runs every benchmark with its baseline, prints the table and writes the rows as JSON.',
  options: BENCH_OPTIONS,
};

async function main(): Promise<void> {
  const { values, help } = readCommandLine(BENCH_COMMAND_LINE, process.argv.slice(2), {});
  if (help) {
    process.stdout.write(helpText(BENCH_COMMAND_LINE));
    return;
  }
  const { quick, only, out } = values;
  const rows: MeasureRow[] = [];
  const failures: string[] = [];
  // Other work on the machine widens every spread: the load averages go with the figures.
  const loadBefore = loadavg();
  for (const bench of BENCHMARKS.filter((b) => !only || only.includes(b.name))) {
    process.stderr.write(`bench: ${bench.name}${quick ? ' (quick)' : ''}...\n`);
    try {
      rows.push(...(await (await bench.load()).run({ quick })));
    } catch (err) {
      // One benchmark that cannot run (no websockify, no Chromium) does not hide the others.
      failures.push(`${bench.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  console.log(formatTable(rows));
  for (const f of failures) console.log(`FAILED ${f}`);
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memoryBytes: totalmem(), node: process.version, platform: process.platform, loadBefore, loadAfter: loadavg() };
  console.log(`load average (1, 5, 15 min): before ${loadBefore.map((l) => l.toFixed(1)).join(', ')}; after ${machine.loadAfter.map((l) => l.toFixed(1)).join(', ')}`);
  writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), quick, machine, rows: rows.map((r) => ({ ...r, ratio: ratio(r) })), failures }, null, 2)}\n`,
  );
  console.log(`\nwritten to ${out}`);
  process.exit(failures.length > 0 ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
});
