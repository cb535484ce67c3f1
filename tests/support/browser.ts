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

/**
 * How long Python may take to load the long way (no snapshot yet: compiling the wasm,
 * starting CPython, storing the snapshot) on a busy 2-core machine, where a full `npm test`
 * runs two test files at once: about 10 s alone, and past 15 s under load.
 */
export const PYTHON_COLD_LOAD_MS = 90_000;

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

/** Waits until the console shows the text (from the given offset on). The default deadline
 * is for what the page does by itself; text that comes after Python loads the long way (a
 * new browser context has no snapshot) needs PYTHON_COLD_LOAD_MS. */
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
  await page.waitForFunction(
    ([n, f, p]) => {
      const c = window.socketLab!.consoles[n as number]!;
      return c.state === 'prompt' && c.text().slice(f as number).endsWith(p as string);
    },
    [i, from, prompt] as const,
    { timeout: timeoutMs },
  );
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
