// The shell's own commands (everything but `run`, `nc` and `python`, which start programs): each asks
// the bridge and prints through the pure formatters beside it. They get a small context, so
// tests run them against a fake session.

import type { Call, CallOp, CallResults, Welcome } from '../../../shared/bridge-protocol.ts';
import { PyException } from '../../../shared/py-exception.ts';
import type { BuiltinProgram } from '../programs/program.ts';
import { formatIpconfig } from './ipconfig-format.ts';
import { formatNetstat, parseNetstatArgs } from './netstat-format.ts';
import { formatPs, noSuchProcess, parseKillArgs } from './process-format.ts';

/** The part of a BridgeSession the shell uses. */
export interface ShellSession {
  readonly welcome: Welcome;
  readonly revealAnswers: boolean;
  call<K extends CallOp>(call: Extract<Call, { op: K }>): Promise<CallResults[K]>;
  /** `kill PID` from any console of the device reached one of this console's programs. */
  onKill(listener: (pid: number) => void): () => void;
}

export interface CommandContext {
  session: ShellSession;
  write(text: string): void;
  clear(): void;
}

export interface ShellCommand {
  /** How help shows it, e.g. 'kill PID'. */
  usage: string;
  summary: string;
  run?(args: readonly string[], ctx: CommandContext): Promise<void>;
}

async function netstat(args: readonly string[], ctx: CommandContext): Promise<void> {
  const options = parseNetstatArgs(args);
  if ('error' in options) return ctx.write(options.error + '\n');
  ctx.write(formatNetstat(await ctx.session.call({ op: 'netstat' }), options));
}

async function ps(_args: readonly string[], ctx: CommandContext): Promise<void> {
  ctx.write(formatPs(await ctx.session.call({ op: 'ps' }), ctx.session.welcome.pid));
}

async function kill(args: readonly string[], ctx: CommandContext): Promise<void> {
  for (const target of parseKillArgs(args)) {
    if ('error' in target) {
      ctx.write(target.error + '\n');
      continue;
    }
    try {
      await ctx.session.call({ op: 'kill', pid: target.pid });
    } catch (err) {
      if (!(err instanceof PyException) || err.pyMessage !== 'No such process') throw err;
      ctx.write(noSuchProcess(target.pid) + '\n');
    }
  }
}

async function ipconfig(_args: readonly string[], ctx: CommandContext): Promise<void> {
  ctx.write(formatIpconfig(await ctx.session.call({ op: 'ipconfig' })));
}

async function clear(_args: readonly string[], ctx: CommandContext): Promise<void> {
  ctx.clear();
}

/** Every command, in the order help lists them; run, nc and python are carried out by the shell. */
export const SHELL_COMMANDS: ReadonlyMap<string, ShellCommand> = new Map<string, ShellCommand>([
  ['run', { usage: 'run NAME [ARGS]', summary: 'run a worksheet program (run alone lists them)' }],
  ['python', { usage: 'python [FILE] [ARGS]', summary: 'run a Python file (python alone: the >>> prompt)' }],
  ['netstat', { usage: 'netstat -n', summary: "this device's sockets (-no adds their PIDs)", run: netstat }],
  ['ps', { usage: 'ps', summary: "this device's running programs", run: ps }],
  ['kill', { usage: 'kill PID', summary: 'end a running program', run: kill }],
  ['ipconfig', { usage: 'ipconfig', summary: "this device's lab address", run: ipconfig }],
  ['nc', { usage: 'nc HOST PORT', summary: 'connect, then type lines to send (nc -l PORT listens)' }],
  ['help', { usage: 'help', summary: 'this list' }],
  ['clear', { usage: 'clear', summary: 'clear the screen', run: clear }],
]);

export function helpText(): string {
  const width = Math.max(...[...SHELL_COMMANDS.values()].map((c) => c.usage.length)) + 2;
  let out = 'Commands:\n';
  for (const command of SHELL_COMMANDS.values()) out += `  ${command.usage.padEnd(width)}${command.summary}\n`;
  out += 'Keys: Ctrl-C stops the running program, Ctrl-D ends its input.\n';
  return out;
}

/** What `run` alone prints: each program with its place in the worksheet and what it does. */
export function programListText(programs: readonly Pick<BuiltinProgram, 'name' | 'file' | 'lesson' | 'summary'>[], revealed: boolean): string {
  const width = Math.max(0, ...programs.map((p) => p.name.length)) + 2;
  let out = 'Built-in programs (type run NAME):\n';
  for (const p of programs) out += `  ${p.name.padEnd(width)}${p.lesson}, ${p.file}\n      ${p.summary}\n`;
  if (!revealed) out += "The worksheet's answer programs appear here once your teacher reveals them.\n";
  return out;
}
