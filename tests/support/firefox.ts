// Debian's Firefox ESR (apt package firefox-esr; .ci/run installs it), headless, driven by
// puppeteer-core over WebDriver BiDi: Playwright cannot drive a stock Firefox, and no browser
// is ever downloaded. Firefox maps lab.test to this machine, so the lab's pages are opened
// under http://lab.test:PORT as in the Chromium tests: not a secure context.

import { existsSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import { LAB_HOST } from './browser-test.ts';
import { playwrightShaped, type EngineTab } from './engine-tab.ts';

export const FIREFOX_PATH = process.env.SOCKET_LAB_FIREFOX ?? '/usr/bin/firefox-esr';

export async function openFirefox(): Promise<EngineTab> {
  if (!existsSync(FIREFOX_PATH)) {
    throw new Error(`Firefox is not at ${FIREFOX_PATH}: install Debian's package with 'apt-get install firefox-esr' (.ci/run does), or set SOCKET_LAB_FIREFOX`);
  }
  const browser = await puppeteer.launch({
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
  try {
    const tab = await browser.newPage();
    return {
      page: playwrightShaped({
        evaluate: (fn, arg) => tab.evaluate(fn, arg),
        waitForFunction: (fn, arg, timeoutMs) => tab.waitForFunction(fn, { timeout: timeoutMs }, arg),
      }),
      host: LAB_HOST,
      goto: async (url) => void (await tab.goto(url)),
      close: () => browser.close(),
    };
  } catch (err) {
    await browser.close();
    throw err;
  }
}
