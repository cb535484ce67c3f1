// The answer built-ins (Questions 6, 8, 9 and 10) and the built-in guess_client against real
// CPython. tests/fixtures/answers/*.py are the Python programs the built-ins mirror (the
// Python in each built-in's doc comment); two of them under CPython give the reference
// transcript, and each built-in, on either side, must give the same one. The CPython
// programs bind the lesson's fixed host ports, so this file runs its tests one at a time.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { waitListening, type TestLabServer } from '../support/lab-server.ts';
import { normalizePorts, type InteropLab } from '../support/interop-lab.ts';
import { interopTest as test } from '../support/interop-test.ts';
import { runBuiltin, type BuiltinRun } from '../support/run-builtin.ts';
import { LESSON_PROGRAMS_DIR, PythonProcess } from '../support/python-process.ts';
import { AwaitableText } from '../support/awaitable-text.ts';
import { board } from '../support/worksheet-sample-game.ts';
import type { BridgeSession } from '../../web/common/bridge/bridge-session.ts';
import type { Call } from '../../shared/bridge-protocol.ts';

const ANSWERS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/answers');
let server: TestLabServer;
let code: string;
let consoleOne: BridgeSession;
let consoleTwo: BridgeSession;

// The file's labs, for the helpers below.
let lab: InteropLab;
test.beforeAll(({ lab: fileLab }) => void ({ server, code, consoleOne, consoleTwo } = lab = fileLab));

/** One side of a pair: the built-in's name is the Python file's name without '.py'. */
interface Peer {
  name: string;
  /** Where the Python file is: the answers' fixtures or the lesson's programs. */
  dir: string;
  input?: string[];
  /** For CPython guess_server.py: random.seed(seed) before the program runs. */
  seed?: number;
  /** For the built-in guess_server: its random.random(). */
  random?: () => number;
}

interface Pair {
  server: Peer;
  client: Peer;
  port: number;
}

interface Transcript {
  server: string;
  client: string;
}

const answer = (name: string, input?: string[]): Peer => ({ name, dir: ANSWERS_DIR, input });

function startPython(peer: Peer): PythonProcess {
  return new PythonProcess(`${peer.name}.py`, peer.input, peer.dir, {
    // The game answers `import tictactoe`, which stays in the lesson's folder.
    pythonPath: [LESSON_PROGRAMS_DIR],
    env: peer.seed === undefined ? {} : { SOCKETLAB_SEED: String(peer.seed) },
  });
}

/** A CPython peer must end by itself, cleanly: exit status 0 and nothing on stderr. */
async function endedCleanly(py: PythonProcess): Promise<void> {
  const status = await py.exited;
  assert.equal(py.stderr.text, '', `stderr of a CPython peer`);
  assert.equal(status, 0, 'exit status of a CPython peer');
}

/** The lab's sockets that still belong to a program, as GET /api/labs/CODE/netstat shows them. */
async function labSocketsOf(session: BridgeSession, pid: number): Promise<unknown[]> {
  const [where, labCode] = session === consoleTwo ? [lab.clientServer, lab.clientCode] : [server, code];
  const rows = (await (await fetch(`${where.baseUrl}/api/labs/${labCode}/netstat`)).json()) as { pid: number }[];
  return rows.filter((row) => row.pid === pid);
}

/**
 * Watches the calls the next built-in of a console makes: the sockets it opens (socket,
 * accept) and those it closes itself. Its process's exit closes whatever is left, so
 * netstat alone cannot tell whether the program closed its sockets "properly before
 * exiting" (Question 8); `leftOpen()` can.
 */
function watchSockets(session: BridgeSession): { leftOpen(): number[] } {
  const original = session.call;
  const opened = new Set<number>();
  const closed = new Set<number>();
  let atExit: number[] | null = null;
  session.call = ((call: Call) => {
    if (call.op === 'close') closed.add(call.sock);
    if (call.op === 'exit') {
      atExit = [...opened].filter((sock) => !closed.has(sock));
      session.call = original;
    }
    const result = original.call(session, call as never) as Promise<unknown>;
    if (call.op !== 'socket' && call.op !== 'accept') return result;
    return result.then((info) => {
      opened.add((info as { sock: number }).sock);
      return info;
    });
  }) as typeof session.call;
  return {
    leftOpen() {
      assert.ok(atExit, 'the built-in ended');
      return atExit;
    },
  };
}

/** A built-in started with its sockets watched. */
type WatchedRun = BuiltinRun & { leftOpen(): number[]; session: BridgeSession };

async function startBuiltin(session: BridgeSession, peer: Peer): Promise<WatchedRun> {
  const sockets = watchSockets(session);
  const run = await runBuiltin(session, peer.name, peer.input, { random: peer.random });
  return { ...run, leftOpen: sockets.leftOpen, session };
}

/** A built-in must end by itself too, having closed its sockets, and leave none behind in the lab. */
async function builtinEnded(run: WatchedRun): Promise<void> {
  await run.done;
  assert.deepEqual(run.leftOpen(), [], `sockets the built-in (pid ${run.pid}) did not close itself`);
  assert.deepEqual(await labSocketsOf(run.session, run.pid), [], `netstat after the built-in (pid ${run.pid}) ended`);
}

/** Two CPython programs: the reference transcript. */
async function cpythonPair(pair: Pair): Promise<Transcript> {
  const srv = startPython(pair.server);
  await srv.listening(pair.port);
  const cli = startPython(pair.client);
  await Promise.all([endedCleanly(srv), endedCleanly(cli)]);
  return { server: srv.stdout.text, client: cli.stdout.text };
}

/** A built-in server in the lab, CPython's client on the host through the listener's real port. */
async function builtinServer(pair: Pair): Promise<Transcript> {
  const srv = await startBuiltin(consoleOne, pair.server);
  const row = await waitListening(server, code, pair.port);
  assert.equal(row.realPort, pair.port, 'the real port is the lab port when it is free on the host');
  const cli = startPython(pair.client);
  await Promise.all([builtinEnded(srv), endedCleanly(cli)]);
  return { server: srv.console.text, client: cli.stdout.text };
}

/** CPython's server on the host, the built-in client in the lab reaching it through --allow. */
async function builtinClient(pair: Pair): Promise<Transcript> {
  const srv = startPython(pair.server);
  await srv.listening(pair.port);
  const cli = await startBuiltin(consoleTwo, pair.client);
  await Promise.all([endedCleanly(srv), builtinEnded(cli)]);
  return { server: srv.stdout.text, client: cli.console.text };
}

/** The reference, then the built-in server and the built-in client each against CPython. */
async function checkBothWays(pair: Pair): Promise<Transcript> {
  const reference = await cpythonPair(pair);
  const viaBuiltinServer = await builtinServer(pair);
  assert.equal(normalizePorts(viaBuiltinServer.server), normalizePorts(reference.server), `built-in ${pair.server.name}`);
  assert.equal(normalizePorts(viaBuiltinServer.client), normalizePorts(reference.client), `CPython ${pair.client.name} against it`);
  const viaBuiltinClient = await builtinClient(pair);
  assert.equal(normalizePorts(viaBuiltinClient.client), normalizePorts(reference.client), `built-in ${pair.client.name}`);
  assert.equal(normalizePorts(viaBuiltinClient.server), normalizePorts(reference.server), `CPython ${pair.server.name} against it`);
  return reference;
}

const SERVER_ADDRESS = '127.0.0.1';

// ---- Question 6 ----

test('Question 6: practice_server prints what practice_client sends', { timeout: 60_000 }, async () => {
  const ref = await checkBothWays({
    server: answer('practice_server'),
    client: answer('practice_client', [SERVER_ADDRESS, '12345']),
    port: 12345,
  });
  assert.equal(ref.server, "b'Hello from client\\n'\n");
  assert.equal(ref.client, 'Enter IPv4 address of server: Enter port number of server: ');
});

// ---- Question 8 ----

test("Question 8: the server types 'quit', both chat programs end", { timeout: 60_000 }, async () => {
  const ref = await checkBothWays({
    server: answer('chat_quit_server', ['How are you doing?', 'quit']),
    client: answer('chat_quit_client', [SERVER_ADDRESS, '6789', 'Great! 中文 too']),
    port: 6789,
  });
  assert.equal(
    ref.server,
    'INPUT SERVER: WAITING FOR CLIENT...\nCLIENT WROTE: Great! 中文 too\n\n' + 'INPUT SERVER: ',
  );
  assert.equal(
    ref.client,
    'Enter IPv4 address of server: Enter port number of server: ' +
      'WAITING FOR SERVER...\nSERVER WROTE: How are you doing?\n\n' +
      'INPUT CLIENT: WAITING FOR SERVER...\nSERVER WROTE: quit\n\n',
  );
});

test("Question 8: the client types 'quit', both chat programs end", { timeout: 60_000 }, async () => {
  const ref = await checkBothWays({
    server: answer('chat_quit_server', ['Hello', 'Still there?']),
    client: answer('chat_quit_client', [SERVER_ADDRESS, '6789', 'Yes', 'quit']),
    port: 6789,
  });
  assert.equal(
    ref.server,
    'INPUT SERVER: WAITING FOR CLIENT...\nCLIENT WROTE: Yes\n\n' +
      'INPUT SERVER: WAITING FOR CLIENT...\nCLIENT WROTE: quit\n\n',
  );
  assert.match(ref.client, /SERVER WROTE: Still there\?\n\nINPUT CLIENT: $/);
});

// ---- Question 9 ----
// The client (X) moves first. The move lists were played out with tictactoe.py; the
// assertions on the reference say what each game must end with.

const gameOf = (clientMoves: string[], serverMoves: string[]): Pair => ({
  server: answer('game_server_alternative', serverMoves),
  client: answer('game_client_alternative', clientMoves),
  port: 3456,
});

function lastLines(text: string): string {
  return text.split('\n').slice(-3).join('\n');
}

test('Question 9: the client moves first and wins (1, 2, 3 against 4, 5)', { timeout: 60_000 }, async () => {
  const ref = await checkBothWays(gameOf(['1', '2', '3'], ['4', '5']));
  assert.ok(ref.client.startsWith(board('123456789') + '\nClient moves (0 to quit): \n' + board('X23456789')));
  assert.ok(ref.server.startsWith('Client moves: 1\n\n' + board('X23456789')));
  assert.ok(ref.client.endsWith(board('XXXOO6789') + '\nYou win!\n\n'));
  assert.ok(ref.server.endsWith(board('XXXOO6789') + '\nOpponent wins!\n\n'));
});

test('Question 9: the server wins (5, 3, 7 against 1, 2, 4)', { timeout: 60_000 }, async () => {
  const ref = await checkBothWays(gameOf(['1', '2', '4'], ['5', '3', '7']));
  assert.ok(ref.server.endsWith(board('XXOXO6O89') + '\nYou win!\n\n'), lastLines(ref.server));
  assert.ok(ref.client.endsWith(board('XXOXO6O89') + '\nOpponent wins!\n\n'), lastLines(ref.client));
});

test('Question 9: a stalemate, the client filling the last cell', { timeout: 60_000 }, async () => {
  const ref = await checkBothWays(gameOf(['1', '9', '8', '3', '4'], ['5', '2', '7', '6']));
  assert.ok(ref.client.endsWith(board('XOXXOOOXX') + '\nStalemate\n\n'), lastLines(ref.client));
  assert.ok(ref.server.endsWith('Client moves: 4\n\n' + board('XOXXOOOXX') + '\nStalemate\n\n'), lastLines(ref.server));
});

test('Question 9: the server quits with 0 (after a taken and an invalid cell)', { timeout: 60_000 }, async () => {
  const ref = await checkBothWays(gameOf(['5', '1'], ['5', '10', '9', '0']));
  assert.ok(ref.server.endsWith('Server moves (0 to quit): \nYou quit, opponent wins!\n\n'), lastLines(ref.server));
  assert.ok(ref.client.endsWith('Opponent quits, you win!\n\n'), lastLines(ref.client));
  assert.equal(ref.server.split('Server moves (0 to quit): ').length - 1, 4, 'the server was asked four times');
});

test('Question 9: the client quits with 0 on its first turn', { timeout: 60_000 }, async () => {
  const ref = await checkBothWays(gameOf(['0'], []));
  assert.equal(ref.client, board('123456789') + '\nClient moves (0 to quit): \nYou quit, opponent wins!\n\n');
  assert.equal(ref.server, 'Opponent quits, you win!\n\n');
});

// ---- Question 10 ----

/** A seed for which CPython's random.randint(1, 100), first thing after random.seed(seed), is n. */
async function seedFor(n: number): Promise<number> {
  const script = [
    'import random, sys',
    'n = int(sys.argv[1])',
    'seed = 0',
    'while True:',
    '    random.seed(seed)',
    '    if random.randint(1, 100) == n:',
    '        break',
    '    seed += 1',
    'print(seed)',
  ].join('\n');
  const { stdout } = await promisify(execFile)('python3', ['-c', script, String(n)]);
  return Number(stdout);
}

/** The built-in's randint(1, 100) is 1 + floor(random() * 100). */
const numberFrom = (random: number) => 1 + Math.floor(random * 100);

/** guess_server (built-in random() = random, CPython seeded to pick the same number) and
 * guess_client.py from the lesson, all ways round. */
async function guessGame(random: number, guesses: string[]): Promise<Transcript> {
  const seed = await seedFor(numberFrom(random));
  return checkBothWays({
    server: { name: 'guess_server', dir: ANSWERS_DIR, seed, random: () => random },
    client: { name: 'guess_client', dir: LESSON_PROGRAMS_DIR, input: guesses },
    port: 9999,
  });
}

const PROMPT = 'Enter guess (1-100): ';
const CONNECTED = /^Connected to: \('127\.0\.0\.1', \d+\)\n/;

test('Question 10: win on the first try', { timeout: 60_000 }, async () => {
  const ref = await guessGame(0.42, ['43']);
  assert.equal(ref.client, PROMPT + 'You win!\n');
  assert.equal(normalizePorts(ref.server), "Connected to: ('127.0.0.1', PORT)\nGuess 1: 43 (correct)\n");
});

test('Question 10: win on the fifth try', { timeout: 60_000 }, async () => {
  const ref = await guessGame(0.42, ['50', '25', '37', '40', '43']);
  assert.equal(
    ref.client,
    PROMPT + 'Your guess is too high.\n' +
      PROMPT + 'Your guess is too low.\n' +
      PROMPT + 'Your guess is too low.\n' +
      PROMPT + 'Your guess is too low.\n' +
      PROMPT + 'You win!\n',
  );
  assert.match(ref.server, CONNECTED);
  assert.ok(ref.server.endsWith('Guess 4: 40 (too low)\nGuess 5: 43 (correct)\n'));
});

test('Question 10: GAMEOVER after five misses', { timeout: 60_000 }, async () => {
  const ref = await guessGame(0.42, ['1', '99', '42', '44', '7']);
  assert.ok(ref.client.endsWith(PROMPT + 'Your guess is too low.\nYou ran out of tries! Game over.\n'));
  assert.equal(ref.client.split(PROMPT).length - 1, 5);
  assert.ok(ref.server.endsWith('Guess 5: 7 (too low)\nOut of tries. The number was 43.\n'));
});

test('Question 10: 1 is LOW and 100 is HIGH when the number is 2', { timeout: 60_000 }, async () => {
  const ref = await guessGame(0.015, ['1', '100', '2']);
  assert.equal(ref.client, PROMPT + 'Your guess is too low.\n' + PROMPT + 'Your guess is too high.\n' + PROMPT + 'You win!\n');
});

test("Question 10: randint's ends, the numbers 1 and 100", { timeout: 60_000 }, async () => {
  const one = await guessGame(0, ['2', '1']);
  assert.equal(one.client, PROMPT + 'Your guess is too high.\n' + PROMPT + 'You win!\n');
  const hundred = await guessGame(0.999999, ['99', '100']);
  assert.equal(hundred.client, PROMPT + 'Your guess is too low.\n' + PROMPT + 'You win!\n');
});

// ---- Question 10: guesses split and joined on the wire ----

/** A raw TCP client on the host (node:net): what it received, as text. */
class RawClient {
  readonly received = new AwaitableText();
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1').on('data', (s: string) => this.received.append(s));
    this.closed = new Promise((resolve, reject) => {
      socket.on('end', () => resolve());
      socket.on('error', reject);
    });
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  get localPort(): number {
    return this.socket.localPort!;
  }

  /** Resolves once the bytes are written to the kernel. */
  write(text: string): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(text, 'latin1', (err) => (err ? reject(err) : resolve())));
  }

  end(): void {
    this.socket.end();
  }
}

/** Resolves when the program in the console next reports bytes read by recv (its credit). */
function nextRead(session: BridgeSession): Promise<void> {
  const original = session.credit;
  return new Promise((resolve) => {
    session.credit = (sock, bytes) => {
      session.credit = original;
      original.call(session, sock, bytes);
      resolve();
    };
  });
}

/** Resolves when the host's connection from clientPort to port has no unread bytes: CPython read them. */
async function hostReceiveQueueEmpty(port: number, clientPort: number, limitMs = 15_000): Promise<void> {
  const hex = (p: number) => p.toString(16).toUpperCase().padStart(4, '0');
  const start = Date.now();
  for (;;) {
    if (Date.now() - start > limitMs) throw new Error(`the host never read what came from port ${clientPort}`);
    const text = await readFile('/proc/net/tcp', 'utf8');
    const row = text
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .find((f) => f[1]?.endsWith(`:${hex(port)}`) && f[2]?.endsWith(`:${hex(clientPort)}`));
    if (row && row[4]!.split(':')[1] === '00000000') return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface SplitGuess {
  /** Everything the raw client received. */
  replies: string;
  /** What it had received when it sent the rest of its first guess. */
  beforeRest: string;
  /** What the server printed. */
  server: string;
}

/** '5', then, once the server has read it and not answered, '0\n'; then '1\n43\n' at once. */
async function splitGuess(
  client: RawClient,
  serverOutput: AwaitableText,
  /** Called before the first piece is sent; what it returns resolves once the server has read it. */
  watchRead: () => () => Promise<void>,
): Promise<SplitGuess> {
  await client.received.waitFor('GUESS\n');
  const hasRead = watchRead();
  await client.write('5');
  await hasRead();
  // The server's answer to a whole guess is decided as soon as it has read it: it prints
  // 'Guess 1: ...' before replying. It printed nothing, so it is waiting for the rest.
  await new Promise((r) => setImmediate(r));
  assert.doesNotMatch(serverOutput.text, /Guess/, 'the server took half a guess for a guess');
  const beforeRest = client.received.text;
  await client.write('0\n');
  await client.received.waitFor(/GUESS\n[\s\S]*GUESS\n/);
  // Then two whole guesses in one piece: both are answered, in order.
  await client.write('1\n43\n');
  await client.closed;
  client.end();
  return { replies: client.received.text, beforeRest, server: serverOutput.text };
}

test('Question 10: a guess in two pieces, then two guesses in one, get the replies CPython guess_server.py gives', { timeout: 60_000 }, async () => {
  const py = startPython({ name: 'guess_server', dir: ANSWERS_DIR, seed: await seedFor(43) });
  await py.listening(9999);
  const pyClient = await RawClient.connect(9999);
  const reference = await splitGuess(pyClient, py.stdout, () => () => hostReceiveQueueEmpty(9999, pyClient.localPort));
  await endedCleanly(py);
  assert.equal(reference.beforeRest, 'GUESS\n');
  assert.equal(reference.replies, 'GUESS\nHIGH\nGUESS\nLOW\nGUESS\nWIN\n');
  assert.equal(
    normalizePorts(reference.server),
    "Connected to: ('127.0.0.1', PORT)\nGuess 1: 50 (too high)\nGuess 2: 1 (too low)\nGuess 3: 43 (correct)\n",
  );

  const srv = await startBuiltin(consoleOne, { name: 'guess_server', dir: ANSWERS_DIR, random: () => 0.42 });
  const row = await waitListening(server, code, 9999);
  const labClient = await RawClient.connect(row.realPort);
  const viaBuiltin = await splitGuess(labClient, srv.console, () => {
    const read = nextRead(consoleOne);
    return () => read;
  });
  await builtinEnded(srv);
  assert.equal(viaBuiltin.beforeRest, reference.beforeRest);
  assert.equal(viaBuiltin.replies, reference.replies);
  assert.equal(normalizePorts(viaBuiltin.server), normalizePorts(reference.server));
});
