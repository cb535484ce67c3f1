// Fixtures for the interop tests (vitest's test.extend): the two labs of tests/support/
// interop-lab.ts, once per test file, and after every test no CPython program left holding a
// lesson port on the host for the next one (whether the test passed or not).
//
//   const test = interopTest;
//   test('...', async ({ lab }) => { ... });

import { test } from 'vitest';
import { startInteropLab, type InteropLab } from './interop-lab.ts';
import { PythonProcess } from './python-process.ts';

export const interopTest = test
  .extend('lab', { scope: 'file' }, async ({}, { onCleanup }): Promise<InteropLab> => {
    const lab = await startInteropLab();
    onCleanup(() => lab.close());
    return lab;
  })
  .extend('noPythonLeftBehind', { auto: true }, async ({}, { onCleanup }): Promise<void> => {
    onCleanup(() => PythonProcess.killAll());
  });

// The labs start before the file's first test, under the hook timeout rather than that test's.
interopTest.beforeAll(async ({ lab }) => void lab);
