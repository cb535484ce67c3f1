// npm run soak -- [--pairs N] [--minutes M | --seconds S] [--pairs-per-lab K] [--interval MS]
// Framed chat between pairs of consoles through the lab, each stream checked for order and
// checksum; reports bytes sent, received, lost and reordered, the memory over time and errors.
// Exits 1 when anything was lost, reordered, corrupt or went wrong. Loopback only; it stops
// by itself.

import { runSoak } from '../bench/soak/soak-run.ts';
import { formatReport } from '../bench/soak/report.ts';

function main(argv: string[]): Promise<number> {
  let pairs = 100;
  let seconds = 600;
  let pairsPerLab = 10;
  let intervalMs = 50;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${arg} needs a positive number`);
      return v;
    };
    switch (arg) {
      case '--pairs':
        pairs = Math.floor(num());
        break;
      case '--minutes':
        seconds = num() * 60;
        break;
      case '--seconds':
        seconds = num();
        break;
      case '--pairs-per-lab':
        pairsPerLab = Math.min(125, Math.floor(num()));
        break;
      case '--interval':
        intervalMs = num();
        break;
      case '--json':
        json = true;
        break;
      default:
        throw new Error(`unknown option '${arg}' (--pairs N --minutes M | --seconds S --pairs-per-lab K --interval MS --json)`);
    }
  }
  return runSoak({ pairs, seconds, pairsPerLab, intervalMs, log: (l) => console.error(l) }).then((report) => {
    console.log(json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.ok ? 0 : 1;
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`soak: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
