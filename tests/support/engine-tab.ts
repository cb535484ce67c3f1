// A page in a browser engine other than the Chromium that Playwright drives (Firefox through
// puppeteer-core, WebKit through its WebDriver), as the browser tests' console helpers
// (browser.ts, written against Playwright's Page) use a page: through evaluate(fn, arg) and
// waitForFunction(fn, arg, options), so that every engine is read and typed into by the same
// code.

import type { Page } from 'playwright-core';

export interface EngineTab {
  /** The page, as browser.ts's helpers take it. */
  page: Page;
  /** Host name under which the lab's pages are opened ('lab.test' where the engine can map it). */
  host: string;
  goto(url: string): Promise<void>;
  /** Ends the browser (and its driver). */
  close(): Promise<void>;
}

/** Playwright's default for a wait that names none. */
export const DEFAULT_WAIT_MS = 30_000;

/** The two methods browser.ts calls, given by an engine's driver, as a Playwright Page. */
export function playwrightShaped(methods: {
  evaluate(fn: (arg: unknown) => unknown, arg?: unknown): Promise<unknown>;
  waitForFunction(fn: (arg: unknown) => unknown, arg: unknown, timeoutMs: number): Promise<unknown>;
}): Page {
  const shaped = {
    evaluate: (fn: (arg: unknown) => unknown, arg?: unknown) => methods.evaluate(fn, arg),
    waitForFunction: (fn: (arg: unknown) => unknown, arg?: unknown, options?: { timeout?: number }) =>
      methods.waitForFunction(fn, arg, options?.timeout ?? DEFAULT_WAIT_MS),
  };
  return shaped as unknown as Page;
}
