// The built-ins against the worksheet's own programs under real CPython, both directions:
// each transcript must equal what two CPython programs print to each other. The CPython
// programs bind the lesson's fixed host ports, so this file runs its tests one at a time.

import assert from 'node:assert/strict';
import { waitListening, type TestLabServer } from '../support/lab-server.ts';
import { normalizePorts } from '../support/interop-lab.ts';
import { interopTest as test } from '../support/interop-test.ts';
import { runBuiltin, type BuiltinRun } from '../support/run-builtin.ts';
import { PythonProcess } from '../support/python-process.ts';
import type { BridgeSession } from '../../web/common/bridge/bridge-session.ts';
import {
  sampleClientScreen,
  sampleServerScreen,
  SAMPLE_CLIENT_MOVES,
  SAMPLE_SERVER_MOVES,
} from '../support/worksheet-sample-game.ts';

let server: TestLabServer;
let code: string;
let consoleOne: BridgeSession;
let consoleTwo: BridgeSession;

// The file's labs, for the helpers below.
test.beforeAll(({ lab }) => void ({ server, code, consoleOne, consoleTwo } = lab));

interface Pair {
  server: string;
  client: string;
  port: number;
  serverInput?: string[];
  clientInput?: string[];
  /** For programs that never end: the server and client output that shows they are done. */
  until?: { server: string; client: string };
}

/** Two CPython programs: the reference transcript. */
async function cpythonPair(pair: Pair): Promise<{ server: string; client: string }> {
  const srv = new PythonProcess(`${pair.server}.py`, pair.serverInput);
  await srv.listening(pair.port);
  const cli = new PythonProcess(`${pair.client}.py`, pair.clientInput);
  if (pair.until) {
    await srv.stdout.waitFor(pair.until.server);
    await cli.stdout.waitFor(pair.until.client);
    cli.kill();
    srv.kill();
  }
  await Promise.all([srv.exited, cli.exited]);
  return { server: srv.stdout.text, client: cli.stdout.text };
}

/** A built-in server in the lab, CPython's client on the host through the listener's real port. */
async function builtinServer(pair: Pair): Promise<{ server: string; client: string }> {
  const srv = await runBuiltin(consoleOne, pair.server, pair.serverInput);
  const row = await waitListening(server, code, pair.port);
  assert.equal(row.realPort, pair.port, 'the real port is the lab port when it is free on the host');
  const cli = new PythonProcess(`${pair.client}.py`, pair.clientInput);
  if (pair.until) {
    await srv.console.waitFor(pair.until.server);
    await cli.stdout.waitFor(pair.until.client);
    cli.kill();
    srv.interrupt();
  }
  await Promise.all([srv.done, cli.exited]);
  return { server: stripInterrupt(srv, pair), client: cli.stdout.text };
}

/** CPython's server on the host, the built-in client in the lab reaching it through --allow. */
async function builtinClient(pair: Pair): Promise<{ server: string; client: string }> {
  const srv = new PythonProcess(`${pair.server}.py`, pair.serverInput);
  await srv.listening(pair.port);
  const cli = await runBuiltin(consoleTwo, pair.client, pair.clientInput);
  if (pair.until) {
    await srv.stdout.waitFor(pair.until.server);
    await cli.console.waitFor(pair.until.client);
    cli.interrupt();
    srv.kill();
  }
  await Promise.all([srv.exited, cli.done]);
  return { server: srv.stdout.text, client: stripInterrupt(cli, pair) };
}

/** A program stopped with Ctrl-C ends with KeyboardInterrupt, which CPython prints on stderr. */
function stripInterrupt(run: BuiltinRun, pair: Pair): string {
  return pair.until ? run.console.text.replace(/KeyboardInterrupt\n$/, '') : run.console.text;
}

async function checkBothWays(pair: Pair): Promise<{ server: string; client: string }> {
  const reference = await cpythonPair(pair);
  const viaBuiltinServer = await builtinServer(pair);
  assert.equal(normalizePorts(viaBuiltinServer.server), normalizePorts(reference.server), `built-in ${pair.server}`);
  assert.equal(normalizePorts(viaBuiltinServer.client), normalizePorts(reference.client), `CPython ${pair.client} against it`);
  const viaBuiltinClient = await builtinClient(pair);
  assert.equal(normalizePorts(viaBuiltinClient.client), normalizePorts(reference.client), `built-in ${pair.client}`);
  assert.equal(normalizePorts(viaBuiltinClient.server), normalizePorts(reference.server), `CPython ${pair.server} against it`);
  return reference;
}

const ASK = ['127.0.0.1', '12345'];

test('Programs 1 and 2: basic_server and basic_client', { timeout: 60_000 }, async () => {
  const ref = await checkBothWays({ server: 'basic_server', client: 'basic_client', port: 12345, clientInput: ASK });
  assert.match(ref.server, /^Connected to: \('127\.0\.0\.1', \d+\)\n$/);
  assert.equal(ref.client, "Enter IPv4 address of server: Enter port number of server: b'Hello from server\\n'\n");
});

test('Program 3: the split server, one recv gets the first piece', { timeout: 60_000 }, async () => {
  const ref = await checkBothWays({ server: 'basic_server_split', client: 'basic_client', port: 12345, clientInput: ASK });
  assert.match(ref.client, /b'Hello fr'\n$/);
});

test('Program 4: the protocol client reads up to the newline', { timeout: 60_000 }, async () => {
  const ref = await checkBothWays({
    server: 'basic_server_split',
    client: 'basic_client_protocol',
    port: 12345,
    clientInput: ASK,
  });
  assert.match(ref.client, /b'Hello from server\\n'\n$/);
});

test('Program 5: the iterative server serves three clients, then Ctrl-C', { timeout: 60_000 }, async () => {
  for (const builtin of [true, false]) {
    const srv = builtin ? await runBuiltin(consoleOne, 'basic_server_iterative') : new PythonProcess('basic_server_iterative.py');
    if (srv instanceof PythonProcess) await srv.listening(12345);
    else await waitListening(server, code, 12345);
    for (let i = 0; i < 3; i++) {
      const outputs: string[] = [];
      if (builtin) {
        const cli = new PythonProcess('basic_client.py', ASK);
        await cli.exited;
        outputs.push(cli.stdout.text);
      } else {
        const cli = await runBuiltin(consoleTwo, 'basic_client', ASK);
        await cli.done;
        outputs.push(cli.console.text);
      }
      assert.deepEqual(outputs, ["Enter IPv4 address of server: Enter port number of server: b'Hello from server\\n'\n"]);
    }
    if (srv instanceof PythonProcess) {
      srv.kill();
      await srv.exited;
    } else {
      srv.interrupt();
      await srv.done;
      assert.equal(srv.console.text, 'KeyboardInterrupt\n');
    }
  }
});

test('Programs 6 and 7: the turn-based chat', { timeout: 60_000 }, async () => {
  const ref = await checkBothWays({
    server: 'chat_server',
    client: 'chat_client',
    port: 6789,
    serverInput: ['How are you doing?', 'Good to hear. 中文 works too'],
    clientInput: ['127.0.0.1', '6789', 'Great!', 'Bye'],
    // Both end up waiting: the server for its next line, the client for the server's reply.
    until: {
      server: 'CLIENT WROTE: Bye\n\nINPUT SERVER: ',
      client: 'SERVER WROTE: Good to hear. 中文 works too\n\nINPUT CLIENT: WAITING FOR SERVER...\n',
    },
  });
  assert.match(ref.server, /^INPUT SERVER: WAITING FOR CLIENT\.\.\.\nCLIENT WROTE: Great!\n\n/);
});


test("Programs 9 and 10: tic-tac-toe, the worksheet's sample game", { timeout: 60_000 }, async () => {
  const ref = await checkBothWays({
    server: 'game_server',
    client: 'game_client',
    port: 3456,
    serverInput: SAMPLE_SERVER_MOVES,
    clientInput: SAMPLE_CLIENT_MOVES,
  });
  assert.equal(ref.server, sampleServerScreen(false));
  assert.equal(ref.client, sampleClientScreen(false));
});

test('tic-tac-toe: invalid and taken cells are asked again, 0 quits', { timeout: 60_000 }, async () => {
  await checkBothWays({
    server: 'game_server',
    client: 'game_client',
    port: 3456,
    serverInput: ['5', '10', '5', '1', '0'],
    clientInput: ['5', '-3', '9', '2'],
  });
});

test("Program 11: guess_client.py against the built-in guess_server (Question 10's answer)", { timeout: 60_000 }, async () => {
  // randint(1, 100) is 1 + floor(random() * 100): 0.42 makes the number 43.
  const srv = await runBuiltin(consoleOne, 'guess_server', [], { random: () => 0.42 });
  assert.equal((await waitListening(server, code, 9999)).realPort, 9999, 'host port 9999 is free for the lab');
  const cli = new PythonProcess('guess_client.py', ['50', '1', '100', '43']);
  await Promise.all([srv.done, cli.exited]);
  assert.equal(
    cli.stdout.text,
    'Enter guess (1-100): Your guess is too high.\n' +
      'Enter guess (1-100): Your guess is too low.\n' +
      'Enter guess (1-100): Your guess is too high.\n' +
      'Enter guess (1-100): You win!\n',
  );
  const lose = await runBuiltin(consoleOne, 'guess_server', [], { random: () => 0.42 });
  assert.equal((await waitListening(server, code, 9999)).realPort, 9999, 'host port 9999 is free for the lab');
  const loser = new PythonProcess('guess_client.py', ['1', '2', '3', '4', '5']);
  await Promise.all([lose.done, loser.exited]);
  assert.match(loser.stdout.text, /(Your guess is too low\.\n.*){5}You ran out of tries! Game over\.\n$/s);
});

test('game_client built-in against CPython game_server via --allow matches the worksheet', { timeout: 60_000 }, async () => {
  const viaAllow = await builtinClient({
    server: 'game_server',
    client: 'game_client',
    port: 3456,
    serverInput: SAMPLE_SERVER_MOVES,
    clientInput: SAMPLE_CLIENT_MOVES,
  });
  assert.equal(viaAllow.client, sampleClientScreen(false));
  assert.equal(viaAllow.server, sampleServerScreen(false));
});
