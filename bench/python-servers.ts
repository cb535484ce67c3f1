// Browser-Python servers (issue 12, item 8): a thread-per-client echo server and an asyncio
// one (bench/fixtures/thread_echo_server.py, asyncio_echo_server.py) with 10 clients doing
// 64-byte round trips for a fixed time: round trips per second (all clients) and the p50 and
// p99 round trip, against the same two programs under python3 on the host, with the same
// clients, in the same run.
//
// The servers run in a console of a lab page (headless Chromium, non-secure origin, JSPI);
// the clients are host processes (bench/echo-clients.ts, one process for all 10) connecting
// to the lab listener's real listener on loopback, as a native program on the teacher's
// laptop would. Host clients cost the same whichever server they talk to, so the ratio is
// the server's: for browser Python that is its Python, its worker's channel requests and the
// lab server's relay. (Clients in lab consoles would add their own browser-Python cost to
// each round trip and measure two programs at once.) The lab server runs with the default
// limits a class gets.
//
// npx tsx bench/python-servers.ts [--quick]

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { consoleReady, consoleText, outputUntilPrompt, PYTHON_LOAD_MS, sparePythonReady, typeCommand, typeInto, watchPythonWorkers } from '../tests/support/browser.ts';
import { waitListening } from '../tests/support/lab-server.ts';
import type { EchoClientsResult } from './echo-clients.ts';
import { freePort } from '../tests/support/free-port.ts';
import { figureOf, percentile, runWhenCalledDirectly, type MeasureRow } from './measure.ts';
import { LAB_HOST, REPO_ROOT, startBenchLab } from './page-load.ts';

const FIXTURES = join(REPO_ROOT, 'bench', 'fixtures');
const CLIENTS_SCRIPT = join(REPO_ROOT, 'bench', 'echo-clients.ts');
const CLIENTS = 10;
const WARMUP_MS = 1000;
const SERVERS = [
  { name: 'thread-per-client', file: 'thread_echo_server.py' },
  { name: 'asyncio', file: 'asyncio_echo_server.py' },
] as const;
/** The first port the browser servers listen on (a lab port; each run takes the next). */
const LAB_PORT_BASE = 21000;
const PROGRAM_EXIT_MS = 30_000;
const ENDED_POLL_MS = 250;

interface RunResult {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Runs the clients against HOST:PORT until their window ends. */
function runClients(port: number, windowMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLIENTS_SCRIPT, '127.0.0.1', String(port), String(CLIENTS), String(WARMUP_MS), String(windowMs)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`echo clients exited ${code}: ${err}`));
      const result = JSON.parse(out) as EchoClientsResult;
      if (result.errors.length > 0 || result.roundTrips === 0) return reject(new Error(`echo clients: ${result.roundTrips} round trips, errors: ${result.errors.join('; ')}`));
      resolve({
        perSecond: result.roundTrips / (result.windowMs / 1000),
        p50Ms: percentile(result.roundTripMs, 50),
        p99Ms: percentile(result.roundTripMs, 99),
      });
    });
  });
}

/** The host's python3 itself, not a wrapper script in front of it (pyenv's shims are bash). */
const PYTHON3 = execFileSync('python3', ['-c', 'import sys; print(sys.executable)']).toString().trim();

/** python3 FILE PORT on the host, once it prints `listening`. */
function startHostServer(file: string, port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON3, [join(FIXTURES, file), String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`python3 ${file} exited ${code} before listening`)));
    child.stdout.on('data', (d: Buffer) => d.toString().includes('listening') && resolve(child));
  });
}

function progress(text: string): void {
  process.stderr.write(`python-servers: ${text}\n`);
}

async function hostRun(file: string, windowMs: number): Promise<RunResult> {
  progress(`host ${file}`);
  const port = await freePort();
  const server = await startHostServer(file, port);
  try {
    return await runClients(port, windowMs);
  } finally {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
}

/** `runs` runs of each server in console 0 of one lab page; the first `python` also loads Pyodide. */
async function browserRuns(runs: number, windowMs: number): Promise<RunResult[][]> {
  const lab = await startBenchLab();
  const results: RunResult[][] = SERVERS.map(() => []);
  try {
    const context = await lab.browser.newContext();
    const page = await context.newPage();
    await watchPythonWorkers(page);
    const code = await lab.server.createLab();
    await page.goto(`http://${LAB_HOST}:${lab.server.port}/lab/${code}`);
    await consoleReady(page, 0);
    for (const { file } of SERVERS) {
      const text = readFileSync(join(FIXTURES, file), 'utf8');
      await page.evaluate(([n, t]) => window.socketLab!.files!.write(n!, t!), [file, text]);
    }
    const prompt = `${await page.evaluate(() => window.socketLab!.address)}$ `;
    let port = LAB_PORT_BASE;
    for (let run = 0; run < runs; run++) {
      for (const [i, { file }] of SERVERS.entries()) {
        progress(`browser ${file}`);
        const start = await typeCommand(page, 0, `python ${file} ${port}`);
        // A program that stops before it listens (an error) would leave waitListening waiting.
        // Polled every ENDED_POLL_MS, not every frame: it goes on during the timed window.
        const ended = page
          .waitForFunction(
            ([f, p]) => {
              const c = window.socketLab!.consoles[0]!;
              return c.state === 'prompt' && c.text().slice(f).endsWith(p);
            },
            [start, prompt] as const,
            { timeout: PYTHON_LOAD_MS, polling: ENDED_POLL_MS },
          )
          .then(async () => {
            throw new Error(`${file} ended before listening:\n${(await consoleText(page, 0)).slice(start)}`);
          });
        ended.catch(() => undefined);
        const { realPort } = await Promise.race([waitListening(lab.server, code, port), ended]);
        // Each run makes the console load a spare worker for the next: timed once it has.
        await sparePythonReady(page);
        results[i]!.push(await runClients(realPort, windowMs));
        await typeInto(page, 0, '\x03');
        await outputUntilPrompt(page, 0, start, PROGRAM_EXIT_MS);
        port++;
      }
    }
    await context.close();
  } finally {
    await lab.browser.close();
    await lab.server.close();
  }
  return results;
}

export async function run(options: { quick: boolean }): Promise<MeasureRow[]> {
  const runs = options.quick ? 1 : 3;
  const windowMs = options.quick ? 3000 : 5000;
  const host: RunResult[][] = SERVERS.map(() => []);
  for (let run = 0; run < runs; run++) for (const [i, { file }] of SERVERS.entries()) host[i]!.push(await hostRun(file, windowMs));
  const browser = await browserRuns(runs, windowMs);
  const note = `${CLIENTS} host clients (one Node process), 64-byte lines, ${WARMUP_MS} ms warm-up then ${windowMs} ms timed; browser: console of a lab page (JSPI), clients at its listener's real port; host: ${execFileSync('python3', ['--version']).toString().trim()} on loopback`;
  const rows: MeasureRow[] = [];
  for (const [i, server] of SERVERS.entries()) {
    const baselineName = `the same program under python3 on the host`;
    const pick = (runs: RunResult[], key: keyof RunResult) => figureOf(runs.map((r) => r[key]));
    rows.push(
      { measure: `${server.name} echo server, browser Python, ${CLIENTS} clients: round trips/s`, unit: 'rt/s', better: 'higher', ours: pick(browser[i]!, 'perSecond'), baseline: { name: baselineName, figure: pick(host[i]!, 'perSecond') }, note },
      { measure: `${server.name} echo server, browser Python, ${CLIENTS} clients: p50`, unit: 'ms', better: 'lower', ours: pick(browser[i]!, 'p50Ms'), baseline: { name: baselineName, figure: pick(host[i]!, 'p50Ms') }, note },
      { measure: `${server.name} echo server, browser Python, ${CLIENTS} clients: p99`, unit: 'ms', better: 'lower', ours: pick(browser[i]!, 'p99Ms'), baseline: { name: baselineName, figure: pick(host[i]!, 'p99Ms') }, note },
    );
  }
  return rows;
}

runWhenCalledDirectly(import.meta.url, run);
