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

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** Waits until console i of the page is at its shell prompt. */
export async function consoleReady(page: Page, i: number): Promise<void> {
  await page.waitForFunction((n) => window.socketLab?.consoles[n]?.state === 'prompt', i);
}

export async function typeInto(page: Page, i: number, keys: string): Promise<void> {
  await page.evaluate(([n, k]) => window.socketLab!.consoles[n as number]!.type(k as string), [i, keys] as const);
}

export function consoleText(page: Page, i: number): Promise<string> {
  return page.evaluate((n) => window.socketLab!.consoles[n]!.text(), i);
}

/** Waits until the console shows the text (from the given offset on). */
export async function waitForText(page: Page, i: number, text: string, from = 0): Promise<void> {
  try {
    await page.waitForFunction(
      ([n, t, f]) => window.socketLab!.consoles[n as number]!.text().slice(f as number).includes(t as string),
      [i, text, from] as const,
      { timeout: 15_000 },
    );
  } catch {
    throw new Error(`console ${i} never showed ${JSON.stringify(text)}; it shows:\n${await consoleText(page, i)}`);
  }
}
