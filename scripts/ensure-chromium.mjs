#!/usr/bin/env node
// The browser tests drive Debian's Chromium (/usr/bin/chromium) with playwright-core; no
// browser is ever downloaded. This installs it with apt-get when it is missing and we may
// (root), and otherwise says exactly what to install.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export function ensureChromium() {
  if (existsSync(CHROMIUM_PATH)) return true;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (isRoot && hasApt) {
    console.log(`Browser tests need Chromium at ${CHROMIUM_PATH}: installing Debian's chromium package...`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
    if (existsSync(CHROMIUM_PATH)) return true;
  }
  console.error(
    `Browser tests need Debian's Chromium at ${CHROMIUM_PATH}, which is missing.\n` +
      `Install it with:  sudo apt-get update && sudo apt-get install -y chromium`,
  );
  return false;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(ensureChromium() ? 0 : 1);
