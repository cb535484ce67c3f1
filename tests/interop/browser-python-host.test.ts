// The worksheet's game_client.py, unchanged, in the browser's Python against game_server.py
// under CPython on the host: the teacher's `--allow 127.0.0.1:3456` lets the lab's connect
// reach the real program. Both screens are the worksheet's sample game.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { startLabServer, type TestLabServer } from '../support/lab-server.ts';
import { consoleReady, consoleText, launchChromium, typeInto, waitForText } from '../support/browser.ts';
import { LESSON_PROGRAMS_DIR, PythonProcess } from '../support/python-process.ts';
import { sampleClientScreen, sampleServerScreen, SAMPLE_CLIENT_MOVES, SAMPLE_SERVER_MOVES } from '../support/worksheet-sample-game.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GAME_PORT = 3456;

let server: TestLabServer;
let browser: Browser;
before(async () => {
  server = await startLabServer({
    webRoot: resolve(REPO_ROOT, 'dist', 'web'),
    revealAnswers: false,
    allow: [{ host: '127.0.0.1', port: GAME_PORT }],
  });
  browser = await launchChromium(['--host-resolver-rules=MAP lab.test 127.0.0.1']);
});
after(async () => {
  PythonProcess.killAll();
  await browser?.close();
  await server?.close();
});

test('game_client.py in the browser against python3 game_server.py on the host', { timeout: 90_000 }, async () => {
  // The host's CPython moves first; its moves wait on its stdin, read one per prompt.
  const host = new PythonProcess('game_server.py', SAMPLE_SERVER_MOVES);
  await host.listening(GAME_PORT);
  const page = await (await browser.newContext()).newPage();
  await page.goto(`http://lab.test:${server.port}/lab/${await server.createLab()}`);
  await consoleReady(page, 0);
  const prompt = `${await page.evaluate(() => window.socketLab!.address)}$ `;
  for (const name of ['tictactoe.py', 'game_client.py']) {
    const text = readFileSync(resolve(LESSON_PROGRAMS_DIR, name), 'utf8');
    await page.evaluate(([n, t]) => window.socketLab!.files!.write(n!, t!), [name, text]);
  }
  const start = (await consoleText(page, 0)).length;
  await typeInto(page, 0, 'python game_client.py\r');
  let seen = start;
  for (const move of SAMPLE_CLIENT_MOVES) {
    await waitForText(page, 0, 'Client moves (0 to quit): ', seen);
    seen = (await consoleText(page, 0)).length;
    await typeInto(page, 0, `${move}\r`);
  }
  assert.equal(await host.exited, 0, host.stderr.text);
  await page.waitForFunction(
    ([from, p]) => {
      const c = window.socketLab!.consoles[0]!;
      return c.state === 'prompt' && c.text().slice(from as number).endsWith(p as string);
    },
    [start, prompt] as const,
  );
  assert.equal((await consoleText(page, 0)).slice(start), `python game_client.py\n${sampleClientScreen(true)}${prompt}`);
  assert.equal(host.stdout.text, sampleServerScreen(false));
});
