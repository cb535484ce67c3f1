// Two pages of one browser in one lab play the worksheet's sample tic-tac-toe game with the
// built-ins, in real consoles over real TCP, and each screen is the worksheet's.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { waitListening } from '../support/lab-server.ts';
import { browserLabTest, WEB_ROOT } from '../support/browser-test.ts';
import { consoleReady, consoleText, typeInto, waitForText } from '../support/browser.ts';
import {
  sampleClientScreen,
  sampleServerScreen,
  SAMPLE_CLIENT_MOVES,
  SAMPLE_SERVER_MOVES,
} from '../support/worksheet-sample-game.ts';


const test = browserLabTest();

test('"Create a lab" makes a lab; two pages play the sample game', { timeout: 90_000 }, async ({ server, context }) => {
  const one = await context.newPage();
  await one.goto(server.baseUrl + '/');
  await one.getByRole('button', { name: 'Create a lab' }).click();
  await one.waitForURL(/\/lab\/[A-Z0-9]{6}$/);
  const code = one.url().split('/').pop()!;
  await consoleReady(one, 0);
  const two = await context.newPage();
  await two.goto(`${server.baseUrl}/lab/${code}`);
  await consoleReady(two, 0);
  const address = await one.evaluate(() => window.socketLab!.address);
  assert.equal(await two.evaluate(() => window.socketLab!.address), address, 'two tabs of one browser are one device');

  const serverStart = (await consoleText(one, 0)).length;
  await typeInto(one, 0, 'run game_server\r');
  await waitListening(server, code, 3456);
  const clientStart = (await consoleText(two, 0)).length;
  await typeInto(two, 0, 'run game_client\r');

  // The server moves first; then they take turns, each typing at its own prompt.
  let serverSeen = serverStart;
  let clientSeen = clientStart;
  for (let turn = 0; turn < SAMPLE_SERVER_MOVES.length; turn++) {
    await waitForText(one, 0, 'Server moves (0 to quit): ', serverSeen);
    serverSeen = (await consoleText(one, 0)).length;
    await typeInto(one, 0, `${SAMPLE_SERVER_MOVES[turn]}\r`);
    const clientMove = SAMPLE_CLIENT_MOVES[turn];
    if (clientMove === undefined) break;
    await waitForText(two, 0, 'Client moves (0 to quit): ', clientSeen);
    clientSeen = (await consoleText(two, 0)).length;
    await typeInto(two, 0, `${clientMove}\r`);
  }
  await waitForText(one, 0, 'You win!', serverStart);
  await waitForText(two, 0, 'Opponent wins!', clientStart);
  await one.waitForFunction(() => window.socketLab!.consoles[0]!.state === 'prompt');
  await two.waitForFunction(() => window.socketLab!.consoles[0]!.state === 'prompt');

  const prompt = `${address}$ `;
  const serverScreen = (await consoleText(one, 0)).slice(serverStart);
  const clientScreen = (await consoleText(two, 0)).slice(clientStart);
  assert.equal(serverScreen, `run game_server\n${sampleServerScreen(true)}${prompt}`);
  assert.equal(clientScreen, `run game_client\n${sampleClientScreen(true)}${prompt}`);
});

test('a second console, a second browser (a second device); answers stay hidden', { timeout: 60_000 }, async ({ server, browser }) => {
  const first = await browser.newContext();
  const a = await first.newPage();
  await a.goto(server.baseUrl + '/');
  await a.getByRole('button', { name: 'Create a lab' }).click();
  await a.waitForURL(/\/lab\/[A-Z0-9]{6}$/);
  await consoleReady(a, 0);
  const code = a.url().split('/').pop()!;
  const second = await browser.newContext();
  const b = await second.newPage();
  await b.goto(`${server.baseUrl}/lab/${code}`);
  await consoleReady(b, 0);
  // "New console" opens a second console beside the first, on the same device.
  await a.locator('header button.new-console').click();
  await consoleReady(a, 1);
  assert.equal(await a.evaluate(() => window.socketLab!.consoles.length), 2);
  assert.notEqual(
    await a.evaluate(() => window.socketLab!.consoles[1]!.pid),
    await a.evaluate(() => window.socketLab!.consoles[0]!.pid),
  );
  const addrA = await a.evaluate(() => window.socketLab!.address);
  const addrB = await b.evaluate(() => window.socketLab!.address);
  assert.notEqual(addrA, addrB);
  const start = (await consoleText(b, 0)).length;
  await typeInto(b, 0, 'run guess_server\r');
  await waitForText(b, 0, 'no such program', start);
  // The answers' chunk exists in the build, and the server refuses it before the reveal.
  const answersChunk = readdirSync(join(WEB_ROOT, 'assets')).find((f) => f.startsWith('answers-'));
  assert.ok(answersChunk, 'the build has an answers chunk');
  const status = await b.evaluate(async (url) => (await fetch(url)).status, `/assets/${answersChunk}`);
  assert.equal(status, 404);
  await first.close();
  await second.close();
});
