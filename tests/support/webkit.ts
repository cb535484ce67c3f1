// WebKit, as Debian's WebKitGTK ships it for tests: its WebDriver (apt package
// webkit2gtk-driver, /usr/bin/WebKitWebDriver) driving MiniBrowser, under xvfb-run (packages
// xvfb and xauth) since MiniBrowser needs a display; .ci/run installs them. The client is
// the few WebDriver commands the tests need, over fetch: a session, a URL, and scripts.
// WebKitGTK cannot map a host name to this machine, so its pages are opened under
// 127.0.0.1 (a secure context there, unlike lab.test's).

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { freePort } from './free-port.ts';
import { playwrightShaped, type EngineTab } from './engine-tab.ts';

export const WEBKIT_DRIVER_PATH = process.env.SOCKET_LAB_WEBKIT_DRIVER ?? '/usr/bin/WebKitWebDriver';
/** The driver and its display start in well under a second here; a busy machine takes longer. */
const DRIVER_START_LIMIT_MS = 30_000;
/** Between two looks at a condition waitForFunction waits on (Playwright polls each frame). */
const POLL_MS = 50;

/** MiniBrowser of the newest WebKitGTK installed. */
function miniBrowserPath(): string {
  if (process.env.SOCKET_LAB_MINIBROWSER) return process.env.SOCKET_LAB_MINIBROWSER;
  const lib = '/usr/lib';
  for (const arch of existsSync(lib) ? readdirSync(lib).filter((d) => d.endsWith('-linux-gnu')) : []) {
    for (const api of ['webkit2gtk-4.1', 'webkit2gtk-4.0']) {
      const path = `${lib}/${arch}/${api}/MiniBrowser`;
      if (existsSync(path)) return path;
    }
  }
  throw new Error("WebKitGTK's MiniBrowser is not installed: apt-get install webkit2gtk-driver (.ci/run does), or set SOCKET_LAB_MINIBROWSER");
}

function checkInstalled(): void {
  const missing = [WEBKIT_DRIVER_PATH, '/usr/bin/xvfb-run'].filter((p) => !existsSync(p));
  if (missing.length > 0) throw new Error(`${missing.join(' and ')} missing: apt-get install webkit2gtk-driver xvfb xauth (.ci/run does)`);
}

/** Ends the driver, the display and the browser: xvfb-run's process group. */
function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {
    // already gone
  }
  return exited;
}

export async function openWebKit(): Promise<EngineTab> {
  checkInstalled();
  const binary = miniBrowserPath();
  const port = await freePort();
  const driver = spawn('xvfb-run', ['-a', WEBKIT_DRIVER_PATH, `--port=${port}`], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const log: string[] = [];
  driver.stderr!.setEncoding('utf8').on('data', (chunk: string) => log.push(chunk));
  const killOnExit = () => void stopGroup(driver);
  process.once('exit', killOnExit);
  const base = `http://127.0.0.1:${port}`;
  async function command(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(base + path, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const answer = (await res.json()) as { value: unknown };
    if (!res.ok) throw new Error(`WebKitWebDriver ${method} ${path}: ${JSON.stringify(answer.value)}`);
    return answer.value;
  }
  const close = async () => {
    process.removeListener('exit', killOnExit);
    await stopGroup(driver);
  };
  try {
    // Ready when it answers (its port is bound once it has started).
    const deadline = Date.now() + DRIVER_START_LIMIT_MS;
    for (;;) {
      const ready = await command('GET', '/status').then(
        (status) => (status as { ready?: boolean }).ready === true,
        () => false,
      );
      if (ready) break;
      if (driver.exitCode !== null || Date.now() > deadline) throw new Error(`WebKitWebDriver did not start within ${DRIVER_START_LIMIT_MS} ms: ${log.join('')}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const session = (await command('POST', '/session', {
      capabilities: { alwaysMatch: { browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary, args: ['--automation'] } } },
    })) as { sessionId: string };
    const at = `/session/${session.sessionId}`;
    const evaluate = (fn: (arg: unknown) => unknown, arg?: unknown) =>
      command('POST', `${at}/execute/sync`, { script: `return (${fn.toString()})(arguments[0]);`, args: [arg ?? null] });
    return {
      page: playwrightShaped({
        evaluate,
        async waitForFunction(fn, arg, timeoutMs) {
          const until = Date.now() + timeoutMs;
          for (;;) {
            const value = await evaluate(fn, arg);
            if (value) return value;
            if (Date.now() > until) throw new Error(`the condition was not met within ${timeoutMs} ms: ${fn.toString()}`);
            await new Promise((r) => setTimeout(r, POLL_MS));
          }
        },
      }),
      host: '127.0.0.1',
      goto: async (url) => void (await command('POST', `${at}/url`, { url })),
      async close() {
        await command('DELETE', at).catch(() => undefined);
        await close();
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}
