// The shell's ProgramLauncher in the page: the registry of built-in programs and the runner,
// bound to the console's bridge session. (Tests give the shell a fake launcher instead.)

import type { BridgeSession } from '../bridge/bridge-session.ts';
import { findProgram, listPrograms } from '../programs/program-registry.ts';
import { startProgram } from '../programs/program-runner.ts';
import type { ProgramLauncher } from './shell.ts';

export function builtinLauncher(session: BridgeSession): ProgramLauncher {
  return {
    find: findProgram,
    list: listPrograms,
    start: (program, io, argv) => startProgram(program, session, io, { argv }),
  };
}
