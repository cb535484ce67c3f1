// The tests, as vitest projects (npm test runs them all; README.md "Run the tests"):
// - unit: beside the code (shared/, server/, web/, bench/: *.test.ts), through Vite's own
//   transforms and defines (vite.config.ts), so web modules with ?url and ?worker imports,
//   import.meta.env or CSS imports load as they do in the build;
// - integration: tests/*.test.ts, the real server on port 0 over real WebSockets and TCP;
// - browser: tests/browser/, the built page (npm run build first) in Debian's Chromium
//   through playwright-core;
// - interop: tests/interop/, the worksheet's programs under host CPython. They bind the
//   lesson's fixed ports on the host, so their files run one at a time, after the others.
//
// node:test had no timeout; vitest's default is 5 s. Each project's timeouts fit what its
// tests do (a browser test's first Python load alone may take 90 s on a busy machine); tests
// that take longer say so themselves.

import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';
import LongestFirstSequencer from './tests/support/longest-first-sequencer.ts';

/** Two test files at a time, as CI's 2 cores (which may be busy with other work) allow. */
const MAX_FILES_AT_ONCE = 2;

export default mergeConfig(
  viteConfig,
  defineConfig({
    // vite.config.ts builds from web/; the tests are all over the repository.
    root: '.',
    test: {
      maxWorkers: MAX_FILES_AT_ONCE,
      // Files known to run longest start first (a clean clone has no timings of its own).
      sequence: { sequencer: LongestFirstSequencer },
      // As node:test's t.mock: a spy lasts one test.
      restoreMocks: true,
      coverage: {
        provider: 'v8',
        reporter: ['text', 'html'],
        reportsDirectory: 'coverage',
        include: ['shared/**/*.ts', 'server/**/*.ts', 'web/**/*.ts', 'bench/**/*.ts'],
        exclude: ['**/*.test.ts'],
      },
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            include: ['{shared,server,web,bench}/**/*.test.ts'],
            testTimeout: 30_000,
            hookTimeout: 30_000,
          },
        },
        {
          extends: true,
          test: {
            name: 'integration',
            include: ['tests/*.test.ts'],
            testTimeout: 60_000,
            hookTimeout: 60_000,
          },
        },
        {
          extends: true,
          test: {
            name: 'browser',
            include: ['tests/browser/**/*.test.ts'],
            globalSetup: ['tests/support/ensure-chromium.ts'],
            testTimeout: 120_000,
            // A file's shared page may load Python in its beforeAll (a cold load: up to 90 s).
            hookTimeout: 180_000,
          },
        },
        {
          extends: true,
          test: {
            name: 'interop',
            include: ['tests/interop/**/*.test.ts'],
            // One file at a time, in a group of its own after the others: no two CPython
            // programs may hold the lesson's ports at once.
            fileParallelism: false,
            sequence: { groupOrder: 1 },
            testTimeout: 120_000,
            hookTimeout: 60_000,
          },
        },
      ],
    },
  }),
);
