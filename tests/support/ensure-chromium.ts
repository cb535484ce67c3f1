// The browser project's globalSetup (vitest.config.ts): the browser tests drive Debian's
// Chromium (/usr/bin/chromium) with playwright-core; no browser is ever downloaded. This
// installs it with apt-get when it is missing and we may (root), and otherwise says exactly
// what to install, before any browser test file starts.

import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { CHROMIUM_PATH } from './browser.ts';

function installChromium(): void {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) return;
  console.log(`Browser tests need Chromium at ${CHROMIUM_PATH}: installing Debian's chromium package...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
}

export default function ensureChromium(): void {
  if (existsSync(CHROMIUM_PATH)) return;
  installChromium();
  if (existsSync(CHROMIUM_PATH)) return;
  throw new Error(
    `Browser tests need Debian's Chromium at ${CHROMIUM_PATH}, which is missing.\n` +
      `Install it with:  sudo apt-get update && sudo apt-get install -y chromium`,
  );
}
