// Fixtures for the browser tests (vitest's test.extend): the real server serving the built
// page and Debian's Chromium, one of each per test file, and for each test a fresh browser
// profile, a page in it, and if asked a new lab open in that page. Pages are opened under
// http://lab.test:PORT (LAB_HOST), which is not a secure context, as a teacher's laptop
// serves the page; Python runs there as it does in class.
//
//   const test = browserLabTest();
//   test('...', async ({ server, browser, page, lab }) => { ... });
//
// A test file whose tests share one page opens it in test.beforeAll, which gets the file's
// server and browser: test.beforeAll(async ({ server, browser }) => { ... }).
// A describe block that needs a server and a browser of its own (the Python tests run every
// test once per channel, counting the server's WebSockets) uses startBrowserLab instead.

import { fileURLToPath } from 'node:url';
import { test } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { ServerConfig } from '../../server/config.ts';
import { consoleReady, launchChromium } from './browser.ts';
import { startLabServer, type TestLabServer } from './lab-server.ts';

export const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));

/** A host name the browser maps to 127.0.0.1: http on it is not a secure context. */
export const LAB_HOST = 'lab.test';
const MAP_LAB_HOST = `--host-resolver-rules=MAP ${LAB_HOST} 127.0.0.1`;

export interface BrowserLabOptions {
  /** The server's settings, over the test server's (which serves dist/web, answers hidden). */
  server?: Partial<ServerConfig>;
  chromiumArgs?: string[];
  /** The browser profile of each test's `context`, `page` and `lab`. */
  context?: BrowserContextOptions;
}

/** A new lab open in the test's page, console 0 at its prompt. */
export interface LabPage {
  code: string;
  page: Page;
  url: string;
}

export function labUrl(server: TestLabServer, code: string, suffix = ''): string {
  return `http://${LAB_HOST}:${server.port}/lab/${code}${suffix}`;
}

/** The test API of a browser test file, with its fixtures. */
export function browserLabTest(options: BrowserLabOptions = {}) {
  const labTest = test
    .extend('server', { scope: 'file' }, async ({}, { onCleanup }): Promise<TestLabServer> => {
      const server = await startLabServer({ webRoot: WEB_ROOT, revealAnswers: false, ...options.server });
      onCleanup(() => server.close());
      return server;
    })
    .extend('browser', { scope: 'file' }, async ({}, { onCleanup }): Promise<Browser> => {
      const browser = await launchChromium([MAP_LAB_HOST, ...(options.chromiumArgs ?? [])]);
      onCleanup(() => browser.close());
      return browser;
    })
    .extend('context', async ({ browser }, { onCleanup }): Promise<BrowserContext> => {
      const context = await browser.newContext(options.context);
      onCleanup(() => context.close());
      return context;
    })
    .extend('page', async ({ context }): Promise<Page> => context.newPage())
    .extend('lab', async ({ server, page }): Promise<LabPage> => {
      const code = await server.createLab();
      const url = labUrl(server, code);
      await page.goto(url);
      await consoleReady(page, 0);
      return { code, page, url };
    });
  // Chromium starts before the file's first test, under the hook timeout: a fixture's set-up
  // counts against the test that first uses it, and a test's own timeout is about the test.
  labTest.beforeAll(async ({ browser }) => void browser);
  return labTest;
}

export interface BrowserLab {
  server: TestLabServer;
  browser: Browser;
}

/** A server and a browser of their own, for a describe block's beforeAll (see above). */
export async function startBrowserLab(overrides: Partial<ServerConfig> = {}, chromiumArgs: string[] = []): Promise<BrowserLab> {
  const server = await startLabServer({ webRoot: WEB_ROOT, revealAnswers: false, ...overrides });
  const browser = await launchChromium([MAP_LAB_HOST, ...chromiumArgs]);
  return { server, browser };
}

export async function stopBrowserLab(lab: Partial<BrowserLab>): Promise<void> {
  await lab.browser?.close();
  await lab.server?.close();
}
