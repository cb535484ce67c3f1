// The real server serving the built page, and Debian's Chromium, for a browser test file.

import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import type { ServerConfig } from '../../server/config.ts';
import { launchChromium } from './browser.ts';
import { startLabServer, type TestLabServer } from './lab-server.ts';

export const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));

export interface BrowserLab {
  server: TestLabServer;
  browser: Browser;
}

export async function startBrowserLab(overrides: Partial<ServerConfig> = {}, chromiumArgs: string[] = []): Promise<BrowserLab> {
  const server = await startLabServer({ webRoot: WEB_ROOT, revealAnswers: false, ...overrides });
  const browser = await launchChromium(chromiumArgs);
  return { server, browser };
}

export async function stopBrowserLab(lab: Partial<BrowserLab>): Promise<void> {
  await lab.browser?.close();
  await lab.server?.close();
}
