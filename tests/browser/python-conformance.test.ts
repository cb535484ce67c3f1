// Conformance: short socket programs (tests/fixtures/python-conformance/) run under the
// host's CPython on real sockets and in the browser's Python on the lab's sockets; what each
// prints must be the same, line for line, on both ways a worker waits for its channel: JSPI
// (the default in this Chromium) and synchronous XMLHttpRequests (forced by ?python-channel=xhr).
// Programs named threads_*.py start threads, which need JSPI: they run on that way only (on
// the other, starting a thread is a clear error: tests/browser/python-threads.test.ts).
// PYTHON_CONFORMANCE=a.py,b.py runs only those programs.

import { afterAll, beforeAll, describe, test } from 'vitest';
import assert from 'node:assert/strict';
import { startBrowserLab, stopBrowserLab } from '../support/browser-test.ts';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { type TestLabServer } from '../support/lab-server.ts';
import { consoleReady, consoleText, outputUntilPrompt, PYTHON_LOAD_MS, typeInto } from '../support/browser.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PROGRAMS = resolve(REPO_ROOT, 'tests', 'fixtures', 'python-conformance');
/** A program's run after its Python loads (the first the long way, in a fresh profile; the
 * others on the spare worker, which may still be loading). */
const PROGRAM_MS = PYTHON_LOAD_MS + 30_000;

const CHANNELS = [
  { name: 'JSPI', query: '' },
  { name: 'synchronous XMLHttpRequests (forced)', query: '?python-channel=xhr' },
] as const;

for (const channel of CHANNELS) describe(channel.name, () => {
  let server: TestLabServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ({ server, browser } = await startBrowserLab());
    page = await (await browser.newContext()).newPage();
    await page.goto(`http://lab.test:${server.port}/lab/${await server.createLab()}${channel.query}`);
    await consoleReady(page, 0);
  });

  afterAll(async () => {
    await stopBrowserLab({ server, browser });
  });

  /** What `python NAME` prints in the browser console (the command line and prompt left out). */
  async function inBrowser(name: string, source: string): Promise<string> {
    await page.evaluate(([n, s]) => window.socketLab!.files!.write(n!, s!), [name, source]);
    const start = (await consoleText(page, 0)).length;
    await typeInto(page, 0, `python ${name}\r`);
    const shown = await outputUntilPrompt(page, 0, start, PROGRAM_MS);
    const commandLine = `python ${name}\n`;
    assert.ok(shown.startsWith(commandLine), shown);
    return shown.slice(commandLine.length);
  }

  const only = process.env.PYTHON_CONFORMANCE?.split(',');
  const programs = readdirSync(PROGRAMS)
    .filter((file) => file.endsWith('.py') && (only === undefined || only.includes(file)))
    .filter((file) => channel.query === '' || !file.startsWith('threads_'))
    .sort();
  for (const name of programs) {
    test(`${name}: the same output under CPython and in the browser`, { timeout: PROGRAM_MS + 30_000 }, async () => {
      const host = spawnSync('python3', [name], { cwd: PROGRAMS, encoding: 'utf8', timeout: 30_000 });
      assert.equal(host.status, 0, host.stderr);
      assert.equal(await inBrowser(name, readFileSync(resolve(PROGRAMS, name), 'utf8')), host.stdout + host.stderr);
    });
  }
});
