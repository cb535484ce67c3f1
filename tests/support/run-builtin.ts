// Runs a built-in program in a test console over a real bridge session.

import type { BridgeSession } from '../../web/common/bridge/bridge-session.ts';
import { findProgram } from '../../web/common/programs/program-registry.ts';
import { startProgram, type RunningProgram } from '../../web/common/programs/program-runner.ts';
import { TestConsole } from './test-console.ts';

export interface BuiltinRun extends RunningProgram {
  console: TestConsole;
}

export async function runBuiltin(
  session: BridgeSession,
  name: string,
  lines: string[] = [],
  options: { argv?: string[]; random?: () => number } = {},
): Promise<BuiltinRun> {
  const program = await findProgram(name, true);
  if (!program) throw new Error(`no built-in program ${name}`);
  const console = new TestConsole(lines);
  const running = await startProgram(program, session, console, options);
  return { ...running, console };
}
