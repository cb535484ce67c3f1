// npm run soak -- [--pairs N] [--minutes M | --seconds S] [--pairs-per-lab K] [--interval MS] [--json]
// Framed chat between pairs of consoles through the lab, each stream checked for order and
// checksum; reports bytes sent, received, lost and reordered, the memory over time and errors.
// Exits 1 when anything was lost, reordered, corrupt or went wrong (2 on a bad option). Loopback
// only; it stops by itself.

import { helpText, OptionError, readCommandLine, type CommandLine, type OptionTable } from '../server/cli/option-table.ts';

const DEFAULT_MINUTES = 10;
/** The most pairs put in one lab (a larger --pairs-per-lab is taken as this). */
const MAX_PAIRS_PER_LAB = 125;

function positive(text: string, what: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new OptionError(`${what} needs a positive number`);
  return value;
}

const SOAK_OPTIONS = {
  pairs: { kind: 'value', placeholder: 'N', default: 100, parse: (t, what) => Math.floor(positive(t, what)), help: 'pairs of consoles chatting' },
  minutes: { kind: 'value', placeholder: 'M', defaultText: String(DEFAULT_MINUTES), parse: positive, help: 'how long the chat lasts' },
  seconds: { kind: 'value', placeholder: 'S', parse: positive, help: 'how long the chat lasts, in seconds, for a short run (in place of `--minutes`)' },
  'pairs-per-lab': {
    kind: 'value',
    placeholder: 'K',
    default: 10,
    parse: (t, what) => Math.min(MAX_PAIRS_PER_LAB, Math.floor(positive(t, what))),
    help: `pairs in one lab, each pair two of its devices; at most ${MAX_PAIRS_PER_LAB}`,
  },
  interval: { kind: 'value', placeholder: 'MS', default: 50, parse: positive, help: "milliseconds between one stream's lines" },
  json: { kind: 'flag', help: 'print the report as JSON' },
} satisfies OptionTable;

const SOAK_COMMAND_LINE: CommandLine<typeof SOAK_OPTIONS> = {
  command: 'npm run soak --',
  about: 'Checksummed chat between pairs of consoles through the lab; reports anything lost or\nreordered and the memory over time. Exits 1 when anything went wrong.',
  options: SOAK_OPTIONS,
};

async function main(argv: string[]): Promise<number> {
  const { values, help } = readCommandLine(SOAK_COMMAND_LINE, argv, {});
  if (help) {
    process.stdout.write(helpText(SOAK_COMMAND_LINE));
    return 0;
  }
  if (values.minutes !== undefined && values.seconds !== undefined) throw new OptionError('give --minutes or --seconds, not both');
  const seconds = values.seconds ?? (values.minutes ?? DEFAULT_MINUTES) * 60;
  // Loaded once the options are good: --help and a typo answer without starting the server's code.
  const { runSoak } = await import('../bench/soak/soak-run.ts');
  const { formatReport } = await import('../bench/soak/report.ts');
  const report = await runSoak({ pairs: values.pairs, seconds, pairsPerLab: values['pairs-per-lab'], intervalMs: values.interval, log: (l) => console.error(l) });
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`soak: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
