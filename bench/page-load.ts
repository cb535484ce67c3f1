// The page (issue 6, item 4): bytes on the wire before the first console is usable and before
// Python is ready, and the time to each, in headless Chromium on loopback, cold (a fresh
// browser profile: empty caches) and cached (a second page in the same profile: a reload).
//
// The profile is a real one on disk (a fresh user-data-dir per run), as a student's browser
// is: Chromium keeps compiled wasm (its WebAssembly code cache) only in a profile on disk, not
// in an incognito-like context, which is what browser.newContext() makes. The cached load in
// such a private context is measured too, as its own row.
//
// Times are measured in the page from navigation start (performance.now(), whose origin is the
// navigation's start): "console usable" is console 0 at its shell prompt (window.socketLab);
// "Python ready" is the `>>>` prompt after `python` is typed into console 0 the moment it is
// usable (so it includes the console's time). Bytes are what crossed the wire (CDP
// Network.loadingFinished encodedDataLength: compressed body plus headers), JS and CSS counted
// for the console, every response (HTML, JS, CSS, wasm, stdlib...) counted for Python. The page
// is opened as http://lab.test:PORT (mapped to 127.0.0.1), a non-secure origin, as a teacher's
// laptop serves it and as Python needs it. There is no baseline: the figures are held to the
// goals. Each Python worker reports its loading steps (web/python/pyodide-loader.ts,
// PYTHON_LOAD_CHANNEL): the rows' notes give the median time of each step.
//
// npx tsx bench/page-load.ts [--quick]

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { CHROMIUM_ARGS, launchChromium } from '../tests/support/browser.ts';
import { PYTHON_LOAD_CHANNEL, PYTHON_LOAD_MARKS, type PythonLoadReport } from '../web/python/python-load-report.ts';
import { startLabServer, type TestLabServer } from '../tests/support/lab-server.ts';
import { figureOf, runWhenCalledDirectly, type MeasureRow } from './measure.ts';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const WEB_ROOT = join(REPO_ROOT, 'dist', 'web');
/** A host name Chromium maps to 127.0.0.1: http on it is not a secure context. */
export const LAB_HOST = 'lab.test';

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Builds the front end when dist/ is missing; refuses a build older than web/. */
export function requireFreshBuild(): void {
  const index = join(WEB_ROOT, 'index.html');
  if (!existsSync(index) || !existsSync(join(REPO_ROOT, 'dist', 'pyodide'))) {
    process.stderr.write('bench: dist/ is missing, building (npm run build)...\n');
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, stdio: 'inherit' });
    return;
  }
  const sources = Math.max(newestMtime(join(REPO_ROOT, 'web')), newestMtime(join(REPO_ROOT, 'vite.config.ts')));
  if (sources > statSync(index).mtimeMs) {
    throw new Error('dist/web is older than web/: run npm run build --silent first (the bench measures what is built)');
  }
}

export async function startBenchLab(): Promise<{ server: TestLabServer; browser: Browser }> {
  requireFreshBuild();
  const server = await startLabServer({ webRoot: WEB_ROOT, revealAnswers: false });
  const browser = await launchChromium([`--host-resolver-rules=MAP ${LAB_HOST} 127.0.0.1`]);
  return { server, browser };
}

/** A browser with a profile on disk of its own (a fresh one: empty caches); close() deletes it. */
async function launchProfile(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'socketlab-bench-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${LAB_HOST} 127.0.0.1`],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Transfer {
  url: string;
  type: string;
  bytes: number;
}

/** Records every response's bytes on the wire for the page, through CDP. */
async function recordTransfers(context: BrowserContext, page: Page): Promise<Transfer[]> {
  const transfers: Transfer[] = [];
  const pending = new Map<string, { url: string; type: string }>();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.responseReceived', (e) => pending.set(e.requestId, { url: e.response.url, type: e.type }));
  cdp.on('Network.loadingFinished', (e) => {
    const r = pending.get(e.requestId);
    if (r) transfers.push({ ...r, bytes: e.encodedDataLength });
  });
  // The worker's own requests (Pyodide's files) are the worker's target: auto-attach to it.
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: true });
  return transfers;
}

interface Load {
  consoleMs: number;
  pythonMs: number;
  /** Steps of the worker that ran `python` (ms from navigation start); empty if it did not report. */
  steps: Map<string, number>;
  /** How that worker started Python: 'snapshot', 'fresh', or null if it did not report. */
  startedFrom: string | null;
  consoleJsCssBytes: number;
  pythonBytes: number;
  consoleFiles: Transfer[];
}

const isJsOrCss = (t: Transfer) => /\.(m?js|css)(\?|$)/.test(new URL(t.url).pathname) || t.type === 'Script' || t.type === 'Stylesheet';

async function loadOnce(context: BrowserContext, url: string): Promise<Load> {
  const page = await context.newPage();
  try {
    const transfers = await recordTransfers(context, page);
    // The worker's requests (Pyodide's files) are not the page's CDP target's: Playwright
    // reports them for the context, with their encoded sizes.
    const workerTransfers: Transfer[] = [];
    const sizing: Promise<unknown>[] = [];
    const onFinished = (request: Request) => {
      sizing.push(
        request.sizes().then(
          (sizes) => workerTransfers.push({ url: request.url(), type: request.resourceType(), bytes: sizes.responseBodySize + sizes.responseHeadersSize }),
          () => undefined,
        ),
      );
    };
    context.on('requestfinished', onFinished);
    // The first worker's report is the one that ran `python` (a spare comes later, if at all).
    await page.addInitScript((channel) => {
      const reports: unknown[] = [];
      (window as unknown as { pythonLoads: unknown[] }).pythonLoads = reports;
      new BroadcastChannel(channel).onmessage = (event) => reports.push(event.data);
    }, PYTHON_LOAD_CHANNEL);
    await page.goto(url, { waitUntil: 'commit' });
    const consoleMs = (await (
      await page.waitForFunction(() => window.socketLab?.consoles[0]?.state === 'prompt' && performance.now(), undefined, { timeout: 30_000 })
    ).jsonValue()) as number;
    const consoleFiles = transfers.filter(isJsOrCss);
    const consoleJsCssBytes = consoleFiles.reduce((s, t) => s + t.bytes, 0);
    await page.evaluate(() => window.socketLab!.consoles[0]!.type('python\r'));
    const pythonMs = (await (
      await page.waitForFunction(() => window.socketLab!.consoles[0]!.text().endsWith('>>> ') && performance.now(), undefined, {
        timeout: 60_000,
        polling: 10,
      })
    ).jsonValue()) as number;
    await new Promise((r) => setTimeout(r, 100));
    await Promise.all(sizing);
    const report = await page.evaluate(() => (window as unknown as { pythonLoads: PythonLoadReport[] }).pythonLoads[0] ?? null);
    const navigationOrigin = await page.evaluate(() => performance.timeOrigin);
    const steps = new Map((report?.marks ?? []).map((m) => [m.name, m.startTime + report!.timeOrigin - navigationOrigin]));
    const startedFrom = (report?.marks.find((m) => m.name === PYTHON_LOAD_MARKS.pyodideLoaded)?.detail as string | undefined) ?? null;
    context.off('requestfinished', onFinished);
    const seen = new Set(transfers.map((t) => t.url));
    const all = [...transfers, ...workerTransfers.filter((t) => !seen.has(t.url))];
    if (process.env.BENCH_DEBUG) for (const t of all) process.stderr.write(`${t.type} ${t.url} ${t.bytes}\n`);
    const pythonBytes = all.reduce((s, t) => s + t.bytes, 0);
    return { consoleMs, pythonMs, steps, startedFrom, consoleJsCssBytes, pythonBytes, consoleFiles };
  } finally {
    await page.close();
  }
}

/** What each step of a load report took: the time from the mark before it, in time order. */
const STEP_LABELS: Record<string, string> = {
  [PYTHON_LOAD_MARKS.start]: 'console usable to worker start',
  [PYTHON_LOAD_MARKS.snapshotRead]: 'snapshot read',
  [PYTHON_LOAD_MARKS.wasmReady]: 'Pyodide files fetched and wasm instantiated',
  [PYTHON_LOAD_MARKS.snapshotRejected]: 'snapshot tried and refused',
  [PYTHON_LOAD_MARKS.pyodideLoaded]: 'CPython started or restored',
  [PYTHON_LOAD_MARKS.installed]: 'our modules installed',
  [PYTHON_LOAD_MARKS.snapshotStored]: 'snapshot stored (while installing)',
  end: 'until >>> shown',
};

/** The median time of each loading step, for a row's note. */
function stepsNote(loads: Load[]): string {
  const byLabel = new Map<string, number[]>();
  for (const load of loads) {
    const marks = [...load.steps].filter(([name]) => name in STEP_LABELS).sort((a, b) => a[1] - b[1]);
    let before = load.consoleMs;
    for (const [name, at] of [...marks, ['end', load.pythonMs] as [string, number]]) {
      const label = STEP_LABELS[name]!;
      byLabel.set(label, [...(byLabel.get(label) ?? []), at - before]);
      before = at;
    }
  }
  const parts = Object.values(STEP_LABELS)
    .filter((label) => byLabel.has(label))
    .map((label) => `${label} ${Math.round(figureOf(byLabel.get(label)!).median)}`);
  const fromSnapshot = loads.filter((l) => l.startedFrom === 'snapshot').length;
  return `${fromSnapshot} of ${loads.length} loads from the snapshot; steps (median ms, each from the one before): ${parts.join(', ')}`;
}

export async function run(options: { quick: boolean }): Promise<MeasureRow[]> {
  const { server, browser } = await startBenchLab();
  const runs = options.quick ? 2 : 5;
  const cold: Load[] = [];
  const cached: Load[] = [];
  const privateCached: Load[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const code = await server.createLab();
      const url = `http://${LAB_HOST}:${server.port}/lab/${code}`;
      const profile = await launchProfile();
      try {
        cold.push(await loadOnce(profile.context, url));
        cached.push(await loadOnce(profile.context, url));
      } finally {
        await profile.close();
      }
      const context = await browser.newContext();
      try {
        await loadOnce(context, url);
        privateCached.push(await loadOnce(context, url));
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const kb = (xs: number[]) => figureOf(xs.map((b) => b / 1000));
  const files = cold[0]!.consoleFiles.map((t) => `${new URL(t.url).pathname.split('/').pop()} ${(t.bytes / 1000).toFixed(1)}`).join(', ');
  const consoleGoalKb = 250;
  const rows: MeasureRow[] = [
    {
      measure: 'page cold: JS+CSS before console usable',
      unit: 'KB',
      better: 'lower',
      ours: kb(cold.map((l) => l.consoleJsCssBytes)),
      baseline: null,
      goal: `at most ${consoleGoalKb} KB compressed`,
      note: `no baseline, held to the goal; bytes on the wire incl. headers (CDP encodedDataLength); files (KB): ${files}`,
    },
    {
      measure: 'page cold: all bytes before Python ready',
      unit: 'KB',
      better: 'lower',
      ours: kb(cold.map((l) => l.pythonBytes)),
      baseline: null,
      note: 'everything the page and its Python worker received, HTML, JS, CSS, wasm, stdlib',
    },
    {
      measure: 'page cached: all bytes before Python ready',
      unit: 'KB',
      better: 'lower',
      ours: kb(cached.map((l) => l.pythonBytes)),
      baseline: null,
    },
    { measure: 'page cold: console usable', unit: 'ms', better: 'lower', ours: figureOf(cold.map((l) => l.consoleMs)), baseline: null, goal: 'within 1000 ms' },
    { measure: 'page cached: console usable', unit: 'ms', better: 'lower', ours: figureOf(cached.map((l) => l.consoleMs)), baseline: null },
    {
      measure: 'page cold: Python ready',
      unit: 'ms',
      better: 'lower',
      ours: figureOf(cold.map((l) => l.pythonMs)),
      baseline: null,
      goal: 'within 4000 ms',
      note: `from navigation start; \`python\` typed the moment the console is usable, ready = \`>>> \` shown; ${stepsNote(cold)}`,
    },
    {
      measure: 'page cached: Python ready',
      unit: 'ms',
      better: 'lower',
      ours: figureOf(cached.map((l) => l.pythonMs)),
      baseline: null,
      goal: 'within 1500 ms',
      note: `a second page in the same profile (a reload); ${stepsNote(cached)}`,
    },
    {
      measure: 'page cached, private window: Python ready',
      unit: 'ms',
      better: 'lower',
      ours: figureOf(privateCached.map((l) => l.pythonMs)),
      baseline: null,
      note: `an incognito-like context: no WebAssembly code cache, so the wasm is compiled again as it runs; ${stepsNote(privateCached)}`,
    },
  ];
  for (const r of rows) {
    if (!r.goal) continue;
    const limit = Number(/(\d+)/.exec(r.goal)![1]);
    r.met = r.ours.median <= limit;
  }
  return rows;
}

runWhenCalledDirectly(import.meta.url, run);
