// Browser Python (issue 6, item 5): N sendall(64 bytes) + recv round trips between two
// browser-Python programs, in two consoles of one lab page (one device, 127.0.0.1), against
// the same two programs (bench/fixtures/rtt_server.py, rtt_client.py) under python3 on the
// host over real TCP on loopback. The client times its loop with time.perf_counter() and
// prints it, so neither figure includes starting Python. The page is opened as
// http://lab.test:PORT, a non-secure origin (no SharedArrayBuffer), as on a teacher's laptop.
// Measured both ways a worker waits for its channel: JSPI over the program's WebSocket (this
// Chromium's default) and synchronous XMLHttpRequests (?python-channel=xhr, browsers without JSPI).
//
// npx tsx bench/browser-python.ts [--quick]

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { consoleReady, outputUntilPrompt, typeCommand } from '../tests/support/browser.ts';
import { waitListening } from '../tests/support/lab-server.ts';
import { freePort } from '../tests/support/free-port.ts';
import { figureOf, runWhenCalledDirectly, type MeasureRow } from './measure.ts';
import { LAB_HOST, REPO_ROOT, startBenchLab } from './page-load.ts';

const FIXTURES = join(REPO_ROOT, 'bench', 'fixtures');
const ROUND_TRIPS = 1000;
/**
 * Seconds the client waits once connected before its timed loop: each run makes the console
 * load a spare worker for the next (web/python/python-runner.ts), which on 2 cores slows the
 * first second of the loop; the figure is the steady state a longer program sees.
 */
const SPARE_SETTLE_S = 3;
const GOAL_MS = 1500;

function parseRtt(output: string): number {
  const m = /rtt_ms=([\d.]+)/.exec(output);
  if (!m) throw new Error(`the client printed no rtt_ms:\n${output}`);
  return Number(m[1]);
}

function runPython3(args: string[], onLine?: (line: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (onLine) for (const line of d.toString().split('\n')) if (line) onLine(line);
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`python3 ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}

/** One host run: the server, then the client once the server listens. */
async function hostRun(): Promise<number> {
  const port = await freePort();
  let listening!: () => void;
  const ready = new Promise<void>((r) => (listening = r));
  const server = runPython3([join(FIXTURES, 'rtt_server.py'), String(port)], (line) => line === 'listening' && listening());
  await Promise.race([ready, server]);
  const out = await runPython3([join(FIXTURES, 'rtt_client.py'), '127.0.0.1', String(port), String(ROUND_TRIPS)]);
  await server;
  return parseRtt(out);
}

/** The two ways a worker waits, and the page URL's query for each (web/python/channel-choice.ts). */
const CHANNELS = [
  { name: 'JSPI, channel WebSocket', query: '' },
  { name: 'sync XHR fallback', query: '?python-channel=xhr' },
] as const;

/** One page, two consoles: a warm-up run, then `runs` timed runs of the client. */
async function browserRuns(lab: Awaited<ReturnType<typeof startBenchLab>>, query: string, runs: number): Promise<number[]> {
  const { server, browser } = lab;
  const measured: number[] = [];
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const code = await server.createLab();
    await page.goto(`http://${LAB_HOST}:${server.port}/lab/${code}${query}`);
    await consoleReady(page, 0);
    await page.locator('header button.new-console').click();
    await consoleReady(page, 1);
    for (const name of ['rtt_server.py', 'rtt_client.py']) {
      const text = readFileSync(join(FIXTURES, name), 'utf8');
      await page.evaluate(([n, t]) => window.socketLab!.files!.write(n!, t!), [name, text]);
    }
    // One warm-up run (the first loads Pyodide), then the measured runs.
    for (let i = 0; i <= runs; i++) {
      const port = 20000 + i;
      const serverStart = await typeCommand(page, 0, `python rtt_server.py ${port}`);
      await waitListening(server, code, port);
      const clientStart = await typeCommand(page, 1, `python rtt_client.py 127.0.0.1 ${port} ${ROUND_TRIPS} ${SPARE_SETTLE_S}`);
      const out = await outputUntilPrompt(page, 1, clientStart, 120_000);
      await outputUntilPrompt(page, 0, serverStart, 30_000);
      if (i > 0) measured.push(parseRtt(out));
    }
  } finally {
    await context.close();
  }
  return measured;
}

export async function run(options: { quick: boolean }): Promise<MeasureRow[]> {
  const runs = options.quick ? 3 : 7;
  const host: number[] = [];
  for (let i = 0; i < runs; i++) host.push(await hostRun());

  const lab = await startBenchLab();
  const figures: number[][] = [];
  try {
    for (const channel of CHANNELS) figures.push(await browserRuns(lab, channel.query, runs));
  } finally {
    await lab.browser.close();
    await lab.server.close();
  }
  return CHANNELS.map((channel, i) => {
    const ours = figureOf(figures[i]!);
    return {
      measure: `browser Python (${channel.name}): ${ROUND_TRIPS} round trips, 64 B`,
      unit: 'ms',
      better: 'lower',
      ours,
      baseline: { name: 'python3 on the host (loopback TCP)', figure: figureOf(host) },
      goal: `within ${GOAL_MS} ms`,
      met: ours.median <= GOAL_MS,
      note: `two consoles of one page (one device), non-secure origin; timed inside the client with time.perf_counter(), Python start-up excluded, after ${SPARE_SETTLE_S} s for the spare worker to load`,
    };
  });
}

runWhenCalledDirectly(import.meta.url, run);
