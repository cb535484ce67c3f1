// A web root like dist/web whose Python runtime folder lacks the build's memory snapshot
// (scripts/make-pyodide-snapshot.mjs): a lab server started on it serves Python as it was
// before that snapshot existed, so the bench measures the first start both ways in one run.
// It is a folder of symbolic links to the built files (nothing copied), not a browser route:
// routing requests in Playwright turns the browser's HTTP cache off, which would change the
// cached loads measured after it.

import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILD_SNAPSHOT_FILE } from '../web/python/pyodide-snapshot-store.ts';

/** The server finds the runtime at WEB_ROOT/../pyodide (server/http/web-plugin.ts). */
export function webRootWithoutBuildSnapshot(distDir: string): { webRoot: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'socketlab-bench-no-snapshot-'));
  symlinkSync(join(distDir, 'web'), join(dir, 'web'));
  for (const version of readdirSync(join(distDir, 'pyodide'))) {
    const from = join(distDir, 'pyodide', version);
    const to = join(dir, 'pyodide', version);
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(from)) if (!name.startsWith(BUILD_SNAPSHOT_FILE)) symlinkSync(join(from, name), join(to, name));
  }
  return { webRoot: join(dir, 'web'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
