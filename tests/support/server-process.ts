// A Socket Lab instance as its own process (`server/main.ts`, as `npm run serve` runs it), for
// the tests of several instances: started on a free loopback port, ready once it prints that
// it is running, and ended with SIGTERM (stop) or SIGKILL (kill: an instance that dies).
// main.ts serves the built page: `npm run build` first (npm test builds before the tests).

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.ts';
import { processLines } from './process-lines.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** tsx compiles the server at start: a few seconds, more on a busy machine. */
const START_LIMIT_MS = 60_000;
const READY_LINE = /^Socket Lab is running/;

export interface ServerProcess {
  port: number;
  baseUrl: string;
  pid: number;
  /** Everything it printed, for a failing test's message. */
  output: string[];
  /** SIGTERM: it closes its sockets and exits. */
  stop(): Promise<void>;
  /** SIGKILL: it dies at once, as on a crash or a machine that goes away. */
  kill(): Promise<void>;
}

export async function startServerProcess(args: string[]): Promise<ServerProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--host', '127.0.0.1', '--port', String(port), ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const end = async (signal: NodeJS.Signals) => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`the server did not start within ${START_LIMIT_MS} ms`)), START_LIMIT_MS);
    const fail = (err: Error) => {
      clearTimeout(timer);
      void end('SIGKILL');
      reject(new Error(`${err.message}\n${output.join('\n')}`));
    };
    const exitedAtStart = (code: number | null) => fail(new Error(`the server exited at start (${code})`));
    child.once('exit', exitedAtStart);
    processLines(child.stderr!, (line) => output.push(line));
    processLines(child.stdout!, (line) => {
      output.push(line);
      if (!READY_LINE.test(line)) return;
      clearTimeout(timer);
      child.removeListener('exit', exitedAtStart);
      resolve();
    });
  });
  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    output,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };
}
