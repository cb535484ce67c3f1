// Debian's Chromium under playwright-core, headless, with the flags this machine needs.

import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** Debian's Chromium: tests/support/ensure-chromium.ts installs it when missing. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/**
 * How long a console's Python may take to load before its program's first output, on a busy
 * 2-core machine where a full `npm test` runs two test files at once (each with its Chromium)
 * beside whatever else runs: the long way in a new browser context, which has no memory
 * snapshot yet (compiling the wasm, starting CPython, storing the snapshot: about 10 s alone,
 * near a minute under heavy load), or from the snapshot when the page's spare worker is still
 * loading as the command comes (well under a second alone, half a minute under heavy load).
 * The first wait after a `python` command needs it; later ones are about the program.
 */
export const PYTHON_LOAD_MS = 90_000;

/**
 * Watches the page's Python workers (an init script, so call it before the page loads): which
 * have loaded, which were given a program and which were ended, for sparePythonReady and
 * pythonRuns. It wraps the page's Worker constructor and reads the page's own messages.
 */
export async function watchPythonWorkers(page: Page): Promise<void> {
  await page.addInitScript(installPythonWorkerWatch);
}

/** The page's side of watchPythonWorkers, run in the page before its own scripts (puppeteer: evaluateOnNewDocument). */
export function installPythonWorkerWatch(): void {
  const watch: PythonWorkerWatch = { workers: [], runs: [] };
  window.pythonWorkerWatch = watch;
  const NativeWorker = window.Worker;
  const states = new WeakMap<Worker, PythonWorkerState>();
  window.Worker = class extends NativeWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      if (!String(url).includes('python-worker')) return;
      const state: PythonWorkerState = { ready: false, running: false, ended: false, givenSnapshot: false, givenModule: false };
      watch.workers.push(state);
      states.set(this, state);
      this.addEventListener('message', (event: MessageEvent<{ t?: string } | null>) => {
        if (event.data?.t === 'ready') state.ready = true;
      });
    }

    override postMessage(message: unknown, options?: Transferable[] | StructuredSerializeOptions): void {
      const state = states.get(this);
      const sent = message as { t?: string; snapshot?: unknown; module?: unknown } | null;
      if (state && sent?.t === 'run') {
        state.running = true;
        watch.runs.push(state.ready);
      }
      if (state && sent?.t === 'snapshot' && sent.snapshot) state.givenSnapshot = true;
      if (state && sent?.t === 'wasm' && sent.module instanceof WebAssembly.Module) state.givenModule = true;
      super.postMessage(message, options as StructuredSerializeOptions);
    }

    override terminate(): void {
      const state = states.get(this);
      if (state) state.ended = true;
      super.terminate();
    }
  };
}

/** One Python worker of the page, as watchPythonWorkers sees it. */
export interface PythonWorkerState {
  /** It said it has loaded Python. */
  ready: boolean;
  /** It was given a program. */
  running: boolean;
  ended: boolean;
  /** The page gave it a memory snapshot to start from (web/python/held-python-start.ts). */
  givenSnapshot: boolean;
  /** The page gave it Pyodide's compiled WebAssembly.Module. */
  givenModule: boolean;
}

interface PythonWorkerWatch {
  /** In the order they were made. */
  workers: PythonWorkerState[];
  /** For each program given to a worker, in order: whether that worker had loaded by then. */
  runs: boolean[];
}

declare global {
  interface Window {
    pythonWorkerWatch?: PythonWorkerWatch;
  }
}

/** Waits until the page keeps a spare Python worker (one with no program) that has loaded. */
export async function sparePythonReady(page: Page, timeoutMs = PYTHON_LOAD_MS): Promise<void> {
  await page.waitForFunction(() => window.pythonWorkerWatch!.workers.some((w) => w.ready && !w.running && !w.ended), undefined, {
    timeout: timeoutMs,
  });
}

/** For each program given to a Python worker so far, in order: whether that worker had loaded by then. */
export function pythonRuns(page: Page): Promise<boolean[]> {
  return page.evaluate(() => window.pythonWorkerWatch!.runs);
}

/** Waits until console i of the page is at its shell prompt (Playwright's 30 s unless told). */
export async function consoleReady(page: Page, i: number, timeoutMs?: number): Promise<void> {
  try {
    await page.waitForFunction((n) => window.socketLab?.consoles[n]?.state === 'prompt', i, timeoutMs === undefined ? {} : { timeout: timeoutMs });
  } catch (err) {
    // What the console was doing instead (a rare hang after Ctrl-C under load is not yet understood).
    const seen = await page
      .evaluate((n) => {
        const c = window.socketLab?.consoles[n];
        return c ? `state ${c.state}; its last lines:\n${c.text().slice(-800)}` : 'no such console';
      }, i)
      .catch((e: unknown) => `(the page could not be read: ${String(e)})`);
    throw new Error(`console ${i} did not come back to its prompt: ${err instanceof Error ? err.message : String(err)}\n${seen}`);
  }
}

/** Puts a file among the device's Python files (what the editor saves), for `python NAME`. */
export async function writeDeviceFile(page: Page, name: string, text: string): Promise<void> {
  await page.evaluate(([n, t]) => window.socketLab!.files!.write(n!, t!), [name, text]);
}

export async function typeInto(page: Page, i: number, keys: string): Promise<void> {
  await page.evaluate(([n, k]) => window.socketLab!.consoles[n as number]!.type(k as string), [i, keys] as const);
}

export function consoleText(page: Page, i: number): Promise<string> {
  return page.evaluate((n) => window.socketLab!.consoles[n]!.text(), i);
}

/** Waits until the console shows the text (from the given offset on). The default deadline
 * is for what the page does by itself; the first text after a `python` command needs
 * PYTHON_LOAD_MS. */
export async function waitForText(page: Page, i: number, text: string, from = 0, timeoutMs = 15_000): Promise<void> {
  try {
    await page.waitForFunction(
      ([n, t, f]) => window.socketLab!.consoles[n as number]!.text().slice(f as number).includes(t as string),
      [i, text, from] as const,
      { timeout: timeoutMs },
    );
  } catch {
    throw new Error(`console ${i} never showed ${JSON.stringify(text)}; it shows:\n${await consoleText(page, i)}`);
  }
}

/** Waits until console i is back at its shell prompt after text offset `from`, and returns
 * what it showed in between, the final prompt left out. */
export async function outputUntilPrompt(page: Page, i: number, from: number, timeoutMs = 60_000): Promise<string> {
  const prompt = `${await page.evaluate(() => window.socketLab!.address)}$ `;
  try {
    await page.waitForFunction(
      ([n, f, p]) => {
        const c = window.socketLab!.consoles[n as number]!;
        return c.state === 'prompt' && c.text().slice(f as number).endsWith(p as string);
      },
      [i, from, prompt] as const,
      { timeout: timeoutMs },
    );
  } catch (error) {
    // Say what the console showed by then: a hang and a slow machine look alike otherwise.
    const shown = await consoleText(page, i).catch(() => '(console unreadable)');
    throw new Error(`no prompt after ${timeoutMs} ms; console ${i} showed:\n${shown.slice(from)}`, { cause: error });
  }
  const text = (await consoleText(page, i)).slice(from);
  return text.slice(0, text.length - prompt.length);
}

/** Types a command line into console i; returns where its output starts in the console's text. */
export async function typeCommand(page: Page, i: number, line: string): Promise<number> {
  const start = (await consoleText(page, i)).length;
  await typeInto(page, i, `${line}\r`);
  return start;
}

/** Like outputUntilPrompt, with the final prompt kept: what the console shows from `from` on. */
export async function textUntilPrompt(page: Page, i: number, from: number, timeoutMs = 60_000): Promise<string> {
  const prompt = `${await page.evaluate(() => window.socketLab!.address)}$ `;
  return `${await outputUntilPrompt(page, i, from, timeoutMs)}${prompt}`;
}
