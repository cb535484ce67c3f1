// Scale: the most consoles and sockets one server holds on this machine while every pair keeps
// chatting at 5 lines a second with the p99 round trip under 50 ms, and the server's memory per
// console. The server runs in a child process (`server/main.ts`) so that its memory (VmRSS from
// /proc) is its own; the consoles are driven by four bench agents (bench/agents/), each pair's
// two consoles in two of them, as pages would. The load climbs
// in steps (pairs are added, never restarted), each held a few seconds; the first step that
// misses the p99 or memory bound, or where a pair cannot be opened or falls silent, ends the
// climb, and the rows say where and why. No baseline: a raw TCP echo at the same count would
// measure the kernel, not a limit of ours (the note says so).
// Alone: npx tsx bench/scale.ts [--quick]

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort } from './free-port.ts';
import { figureOf, formatTable, percentile, type MeasureRow } from './measure.ts';
import { inBatches, LabClient, sleep } from './soak/lab-client.ts';
import { AgentPool } from './agents/agent-pool.ts';
import { labWay, type Way } from './agents/links.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const P99_BOUND_MS = 50;
const RSS_BOUND_BYTES = 400 * 1024 * 1024;
const LINES_PER_SECOND = 5;
const PAIRS_PER_LAB = 50;
const STEPS = [100, 200, 400, 700, 1000, 1400, 2000];
const QUICK_STEPS = [20];

interface ChildServer {
  child: ChildProcess;
  baseUrl: string;
  dataDir: string;
  rss(): number;
  stop(): Promise<void>;
}

async function startChildServer(consoles: number): Promise<ChildServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'socket-lab-scale-'));
  const limits = [
    `consoles-per-device=${Math.max(32, consoles)}`,
    'sockets-per-lab=100000',
    'sockets-per-device=10000',
    'connections-per-second=10000',
    'messages-per-second=1000000',
  ];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/main.ts', '--port', String(port), '--host', '127.0.0.1', '--data', dataDir, '--real-ports', 'any', '--log-level', 'silent', ...limits.flatMap((l) => ['--limit', l])],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Socket Lab is running')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it was ready: ${stderr.trim()}`)));
  });
  const pid = child.pid!;
  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    dataDir,
    rss() {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : NaN;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(10_000)]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface StepResult {
  consoles: number;
  sockets: number;
  p99: number | null;
  rss: number;
  rttSamples: number;
  passed: boolean;
  why: string | null;
}

export async function run(options: { quick: boolean }): Promise<MeasureRow[]> {
  const steps = options.quick ? QUICK_STEPS : STEPS;
  const holdMs = options.quick ? 2000 : 5000;
  const maxConsoles = steps.at(-1)!;
  const server = await startChildServer(maxConsoles);
  const client = new LabClient(server.baseUrl);
  const pool = AgentPool.start();
  const labs: Way[] = [];
  let chats = 0;
  const results: StepResult[] = [];
  try {
    await sleep(500);
    const idleRss = server.rss();
    for (const consoles of steps) {
      const pairs = consoles / 2;
      let why: string | null = null;
      try {
        while (labs.length < Math.ceil(pairs / PAIRS_PER_LAB)) labs.push(labWay(pool, server.baseUrl, await client.createLab(), 'scale'));
        // Each pair: the listener's side echoes, the client's side chats (bench/agents/workloads.ts).
        await inBatches(pairs - chats, 16, async (k) => {
          const i = chats + k;
          const { a, b } = await labs[Math.floor(i / PAIRS_PER_LAB)]!.link(i);
          await a.agent.ask('echo', { key: a.key });
          await b.agent.ask('chat', { key: b.key, periodMs: 1000 / LINES_PER_SECOND });
        });
        chats = pairs;
      } catch (err) {
        why = `opening pairs failed: ${String(err)}`;
      }
      let p99: number | null = null;
      let samples = 0;
      if (!why) {
        await sleep(1000); // the new pairs settle
        await Promise.all(pool.agents.map((a) => a.ask('openWindow', {})));
        await sleep(holdMs);
        const windows = await Promise.all(pool.agents.map((a) => a.ask('closeWindow', {})));
        const all = windows.flatMap((w) => w.samples);
        samples = all.length;
        p99 = samples > 0 ? percentile(all, 99) : null;
        const errors = windows.flatMap((w) => w.errors);
        const silent = windows.reduce((n, w) => n + w.silent, 0);
        if (errors.length > 0) why = errors[0]!;
        else if (silent > 0) why = `${silent} pairs had no reply in ${holdMs / 1000} s`;
        else if (p99 === null || p99 >= P99_BOUND_MS) why = `p99 round trip ${p99?.toFixed(1)} ms (bound ${P99_BOUND_MS} ms)`;
      }
      const rss = server.rss();
      if (!why && rss >= RSS_BOUND_BYTES) why = `server RSS ${(rss / 2 ** 20).toFixed(0)} MB (bound 400 MB)`;
      if (server.child.exitCode !== null) why = `the server exited (${server.child.exitCode})`;
      results.push({ consoles, sockets: (consoles / 2) * 3, p99, rss, rttSamples: samples, passed: !why, why });
      console.error(
        `scale: ${consoles} consoles, ${(consoles / 2) * 3} sockets: p99 ${p99?.toFixed(1) ?? '-'} ms over ${samples} round trips, server RSS ${(rss / 2 ** 20).toFixed(0)} MB${why ? `: FAILED, ${why}` : ''}`,
      );
      if (why) break;
    }
    return rowsOf(results, idleRss, steps);
  } finally {
    await pool.closeAll().catch(() => undefined);
    await pool.stop();
    await server.stop();
  }
}

function rowsOf(results: StepResult[], idleRss: number, steps: number[]): MeasureRow[] {
  const passing = results.filter((r) => r.passed);
  const best = passing.at(-1) ?? null;
  const failed = results.find((r) => !r.passed) ?? null;
  const where = failed
    ? `failed at ${failed.consoles} consoles (${failed.sockets} sockets): ${failed.why}`
    : `every step passed up to the cap of ${steps.at(-1)} consoles`;
  const steps_ = results.map((r) => `${r.consoles}: p99 ${r.p99?.toFixed(1) ?? '-'} ms, ${(r.rss / 2 ** 20).toFixed(0)} MB${r.passed ? '' : ' (failed)'}`).join('; ');
  const noBaseline = 'no baseline (none is meaningful for a count of consoles)';
  const rows: MeasureRow[] = [
    {
      measure: 'scale: consoles held chatting 5 lines/s/pair, p99 < 50 ms, server < 400 MB',
      unit: 'consoles',
      better: 'higher',
      ours: figureOf([best?.consoles ?? 0]),
      baseline: null,
      goal: 'at least 1000 consoles (2000 TCP sockets) under 400 MB',
      met: steps.at(-1)! < 1000 ? undefined : (best?.consoles ?? 0) >= 1000 && best!.sockets >= 2000 && best!.rss < RSS_BOUND_BYTES,
      note: `${where}; steps ${steps_}; each pair = 2 consoles, 2 connected sockets and a listener; ${noBaseline}`,
    },
  ];
  if (best) {
    rows.push({
      measure: `scale: server memory per console at ${best.consoles} consoles`,
      unit: 'KiB',
      better: 'lower',
      ours: figureOf([(best.rss - idleRss) / best.consoles / 1024]),
      baseline: null,
      goal: 'under 400 MB for 1000 consoles',
      note: `(RSS ${(best.rss / 2 ** 20).toFixed(0)} MB - idle ${(idleRss / 2 ** 20).toFixed(0)} MB) / ${best.consoles}; ${noBaseline}`,
    });
  }
  for (const r of results) {
    if (r.p99 !== null) {
      rows.push({ measure: `scale: p99 round trip at ${r.consoles} consoles`, unit: 'ms', better: 'lower', ours: figureOf([r.p99]), baseline: null, goal: 'under 50 ms', met: r.p99 < P99_BOUND_MS });
    }
    rows.push({ measure: `scale: server RSS at ${r.consoles} consoles`, unit: 'MB', better: 'lower', ours: figureOf([r.rss / 2 ** 20]), baseline: null, goal: 'under 400 MB', met: r.rss < RSS_BOUND_BYTES });
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run({ quick: process.argv.includes('--quick') }).then(
    (rows) => {
      console.log(formatTable(rows));
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
