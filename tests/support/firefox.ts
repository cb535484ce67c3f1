// Debian's Firefox ESR (apt package firefox-esr; .ci/run installs it), headless, driven by
// puppeteer-core over WebDriver BiDi: Playwright cannot drive a stock Firefox, and no browser
// is ever downloaded. The lab page is opened under http://lab.test:PORT as in the Chromium
// tests (Firefox resolves lab.test to this machine), so it is not a secure context.
//
// The console helpers of browser.ts are written against Playwright's Page and use two of
// its methods; asPlaywrightPage gives them a puppeteer page, so that both browsers are read
// and typed into by the same code.

import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page as PuppeteerPage } from 'puppeteer-core';
import type { Page } from 'playwright-core';
import { LAB_HOST } from './browser-test.ts';

export const FIREFOX_PATH = process.env.SOCKET_LAB_FIREFOX ?? '/usr/bin/firefox-esr';
/** Playwright's default for a wait that names none. */
const DEFAULT_WAIT_MS = 30_000;

export function launchFirefox(): Promise<Browser> {
  if (!existsSync(FIREFOX_PATH)) {
    throw new Error(`Firefox is not at ${FIREFOX_PATH}: install Debian's package with 'apt-get install firefox-esr' (.ci/run does), or set SOCKET_LAB_FIREFOX`);
  }
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    // lab.test is this machine; nothing is fetched from elsewhere (no updates, no telemetry).
    extraPrefsFirefox: {
      'network.dns.localDomains': LAB_HOST,
      'app.update.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
    },
  });
}

/** A puppeteer page as the browser.ts helpers use a Playwright page: evaluate(fn, arg) and waitForFunction(fn, arg, options). */
export function asPlaywrightPage(page: PuppeteerPage): Page {
  const shaped = {
    evaluate: (fn: (arg: unknown) => unknown, arg?: unknown) => page.evaluate(fn, arg),
    waitForFunction: (fn: (arg: unknown) => unknown, arg?: unknown, options?: { timeout?: number }) =>
      page.waitForFunction(fn, { timeout: options?.timeout ?? DEFAULT_WAIT_MS }, arg),
  };
  return shaped as unknown as Page;
}
