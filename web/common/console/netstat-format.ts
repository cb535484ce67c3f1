// `netstat -n` and `netstat -no` as the worksheet shows them (Windows' Command Prompt):
// "Active Connections", then Proto, Local Address, Foreign Address, State (and PID) in fixed
// columns. Below the table, each listener's real port on the lab server's computer, so a
// native python3 program there can connect to it. Pure functions, tested.

import type { NetstatRow } from '../../../shared/bridge-protocol.ts';

export interface NetstatOptions {
  /** -o: the PID column. */
  showPid: boolean;
}

/** Column widths as Windows' netstat prints them (each column's text is padded to these). */
const PROTO_COLUMN_CHARS = 7;
const ADDRESS_COLUMN_CHARS = 23;
const STATE_COLUMN_CHARS = 16;

/** Reads `netstat`'s options: -n, -o, -a in any combination (-a and -n change nothing here). */
export function parseNetstatArgs(args: readonly string[]): NetstatOptions | { error: string } {
  let showPid = false;
  for (const arg of args) {
    const flags = /^[-/]([a-zA-Z]+)$/.exec(arg)?.[1];
    if (flags === undefined) return { error: `netstat: '${arg}' is not an option (try netstat -n or netstat -no)` };
    for (const flag of flags.toLowerCase()) {
      if (flag === 'o') showPid = true;
      else if (flag !== 'n' && flag !== 'a') {
        return { error: `netstat: unknown option -${flag} (try netstat -n or netstat -no)` };
      }
    }
  }
  return { showPid };
}

function pad(text: string, chars: number): string {
  // At least one space between columns, even when an address is longer than its column.
  return text.length < chars ? text.padEnd(chars) : text + ' ';
}

/** "10.1.0.2:12345" as numbers that sort the way addresses do. */
function addressKey(address: string): [number, number] {
  const colon = address.lastIndexOf(':');
  const ip = address
    .slice(0, colon)
    .split('.')
    .reduce((sum, part) => sum * 256 + (Number(part) || 0), 0);
  return [ip, Number(address.slice(colon + 1)) || 0];
}

function compareRows(a: NetstatRow, b: NetstatRow): number {
  for (const [x, y] of [
    [addressKey(a.local), addressKey(b.local)],
    [addressKey(a.foreign), addressKey(b.foreign)],
  ] as const) {
    if (x[0] !== y[0]) return x[0] - y[0];
    if (x[1] !== y[1]) return x[1] - y[1];
  }
  return a.pid - b.pid;
}

/** The whole output, ending with a newline. */
export function formatNetstat(rows: readonly NetstatRow[], options: NetstatOptions): string {
  const line = (proto: string, local: string, foreign: string, state: string, pid: string) => {
    let text = '  ' + pad(proto, PROTO_COLUMN_CHARS) + pad(local, ADDRESS_COLUMN_CHARS) + pad(foreign, ADDRESS_COLUMN_CHARS);
    text += options.showPid ? pad(state, STATE_COLUMN_CHARS) + pid : state;
    return text.trimEnd() + '\n';
  };
  let out = '\nActive Connections\n\n';
  out += line('Proto', 'Local Address', 'Foreign Address', 'State', 'PID');
  const sorted = [...rows].sort(compareRows);
  for (const row of sorted) out += line(row.proto, row.local, row.foreign, row.state, String(row.pid));
  if (sorted.length === 0) out += '  (none: no program on this device has a socket open)\n';
  // Below the table rather than in it: the table stays as wide as Windows prints it (79
  // columns), which already fills a console that shares the window with another.
  const listeners = sorted.filter((row) => row.realPort !== undefined);
  if (listeners.length > 0) {
    out += "\nListening sockets and their real ports on the lab server's computer\n";
    out += '(a native python3 program there connects to 127.0.0.1 and the host port):\n';
    for (const row of listeners) out += `  ${pad(row.local, ADDRESS_COLUMN_CHARS)}(host port ${row.realPort})\n`;
  }
  return out;
}
