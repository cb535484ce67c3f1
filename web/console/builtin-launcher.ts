// The shell's ProgramLauncher in the page: the registry of built-in programs and the runner,
// bound to the console's bridge session, and the student's Python (its runner is imported the
// first time `python` runs, so Pyodide's code stays out of the first page). Tests give the
// shell a fake launcher instead.

import type { BridgeSession } from '../common/bridge/bridge-session.ts';
import { findProgram, listPrograms } from '../common/programs/program-registry.ts';
import { startProgram } from '../common/programs/program-runner.ts';
import { LoadingProgressLine } from '../common/python/loading-progress-line.ts';
import type { ProgramLauncher } from '../common/console/shell.ts';

export function builtinLauncher(session: BridgeSession): ProgramLauncher {
  return {
    find: findProgram,
    list: listPrograms,
    start: (program, io, argv) => startProgram(program, session, io, { argv }),
    async startPython(io, argv, files) {
      const { startPython } = await import('../python/python-runner.ts');
      const progress = new LoadingProgressLine((text) => io.write(text));
      return startPython(session, io, {
        argv,
        files,
        onProgress: (fraction) => progress.show(fraction),
        onLoaded: () => progress.clear(),
      });
    },
  };
}
