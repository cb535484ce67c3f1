// `ps` and `kill` as a student who has seen a Linux shell expects them: ps lists the device's
// programs (every console and tab of this browser is one device), kill answers a bad or
// unknown PID with bash's own words. Pure functions, tested.

import type { ProcessRow } from '../../../shared/bridge-protocol.ts';

/** The largest PID the bridge carries (a 32-bit unsigned number). */
const MAX_PID = 2 ** 32 - 1;

const PID_COLUMN_CHARS = 7;
const CONSOLE_COLUMN_CHARS = 8;

/** `ps`: PID, console number and command, oldest first; ownPid marks this console's shell. */
export function formatPs(rows: readonly ProcessRow[], ownPid?: number): string {
  const line = (pid: string, consoleNo: string, cmd: string) =>
    pid.padStart(PID_COLUMN_CHARS) + ' ' + consoleNo.padStart(CONSOLE_COLUMN_CHARS) + ' ' + cmd + '\n';
  let out = line('PID', 'CONSOLE', 'CMD');
  for (const row of [...rows].sort((a, b) => a.pid - b.pid)) {
    out += line(String(row.pid), String(row.console), row.pid === ownPid ? `${row.name} (this console)` : row.name);
  }
  return out;
}

/** Signal options kill accepts (every one ends the program the same way here). */
const SIGNALS = new Set(['1', '2', '9', '15', 'HUP', 'INT', 'KILL', 'TERM']);

export type KillTarget = { pid: number } | { error: string };

/**
 * Reads `kill [-SIGNAL] PID...`: one target per PID argument, each a PID to kill or the
 * message bash prints for it. A usage message alone when there is nothing to kill.
 */
export function parseKillArgs(args: readonly string[]): KillTarget[] {
  const rest = [...args];
  const option = rest[0];
  if (option !== undefined && option.startsWith('-') && option !== '-') {
    rest.shift();
    let signal = option.slice(1).toUpperCase();
    if (signal === 'S' || signal === 'N') signal = (rest.shift() ?? '').toUpperCase();
    if (!SIGNALS.has(signal.replace(/^SIG/, ''))) return [{ error: `kill: ${option}: invalid signal specification` }];
  }
  if (rest.length === 0) return [{ error: 'kill: usage: kill [-SIGNAL] PID ...' }];
  return rest.map((arg): KillTarget => {
    if (!/^[0-9]+$/.test(arg)) return { error: `kill: ${arg}: arguments must be process or job IDs` };
    const pid = Number(arg);
    // Bigger than any PID can be: bash answers as for any PID that does not exist.
    if (pid > MAX_PID) return { error: noSuchProcess(arg) };
    return { pid };
  });
}

/** bash's answer to `kill 4242` when there is no process 4242. */
export function noSuchProcess(pid: number | string): string {
  return `kill: (${pid}) - No such process`;
}
