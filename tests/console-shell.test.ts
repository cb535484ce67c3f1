// The console's shell as a student uses it: the page's Shell, line discipline and transcript
// (DOM-free, wired as xterm-console.ts wires them), each console with its own real bridge
// session to the real server in this process, running the real built-in programs over real
// TCP. Keys are typed as xterm.js sends them; every check reads what the console shows.

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startLabServer, waitListening, type TestLabServer } from './support/lab-server.ts';
import { ShellConsole } from './support/shell-console.ts';

/** The teacher has not revealed the worksheet's answers (as in class). */
let hidden: TestLabServer;
/** The teacher has revealed them. */
let revealed: TestLabServer;

beforeAll(async () => {
  [hidden, revealed] = await Promise.all([startLabServer({ revealAnswers: false }), startLabServer({ revealAnswers: true })]);
});
afterAll(() => Promise.all([hidden.close(), revealed.close()]));

let devices = 0;

/** A new lab, and `count` consoles of one device in it (tabs of one browser). */
async function labConsoles(count: number, server = hidden): Promise<{ code: string; consoles: ShellConsole[] }> {
  const code = await server.createLab();
  const key = `shell-device-${++devices}`;
  const consoles: ShellConsole[] = [];
  for (let i = 0; i < count; i++) consoles.push(await ShellConsole.open(server, code, key));
  return { code, consoles };
}

/** Types a command line at the prompt and returns what it printed before the next prompt. */
async function command(c: ShellConsole, line: string): Promise<string> {
  const from = c.text().length;
  assert.ok(c.text().endsWith(c.prompt), `the console is not at its prompt:\n${c.text()}`);
  c.type(line + '\r');
  const outputFrom = from + line.length + 1;
  const end = await c.waitForPrompt(outputFrom);
  return c.text().slice(outputFrom, end - c.prompt.length);
}

/** Starts a program with a command line; resolves once its echo is on the screen. */
async function start(c: ShellConsole, line: string): Promise<number> {
  assert.ok(c.text().endsWith(c.prompt), `the console is not at its prompt:\n${c.text()}`);
  const from = c.text().length;
  c.type(line + '\r');
  return c.waitFor(line + '\n', from);
}

/** Waits until the lab's sockets (the server's netstat, all devices) pass the check. */
async function waitSockets(server: TestLabServer, code: string, check: (rows: { state: string }[]) => boolean): Promise<void> {
  while (!check((await (await fetch(`${server.baseUrl}/api/labs/${code}/netstat`)).json()) as { state: string }[])) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** netstat's table as the worksheet prints it, each row [local, foreign, state, pid?]. */
function netstatTable(rows: (string | number)[][], withPid: boolean): string {
  const line = (cells: (string | number)[]) => {
    const [proto, local, foreign, state, pid] = cells.map(String);
    let text = `  ${proto.padEnd(7)}${local.padEnd(23)}${foreign.padEnd(23)}`;
    text += withPid ? `${state.padEnd(16)}${pid}` : state;
    return text + '\n';
  };
  let out = '\nActive Connections\n\n' + line(['Proto', 'Local Address', 'Foreign Address', 'State', 'PID']);
  for (const row of rows) out += line(['TCP', ...row]);
  if (rows.length === 0) out += '  (none: no program on this device has a socket open)\n';
  return out;
}

/** The note below netstat's table: each listener's real port on the host. */
function hostPorts(listeners: [local: string, realPort: number][]): string {
  let out = "\nListening sockets and their real ports on the lab server's computer\n";
  out += '(a native python3 program there connects to 127.0.0.1 and the host port):\n';
  for (const [local, port] of listeners) out += `  ${local.padEnd(23)}(host port ${port})\n`;
  return out;
}

function psTable(rows: [pid: number, consoleNo: number, cmd: string][]): string {
  let out = '    PID  CONSOLE CMD\n';
  for (const [pid, consoleNo, cmd] of rows) out += `${String(pid).padStart(7)} ${String(consoleNo).padStart(8)} ${cmd}\n`;
  return out;
}

/** The PID of the program a console runs, once the server has started it. */
async function programPid(c: ShellConsole, name: string): Promise<number> {
  if (c.shell.state.state !== 'running') {
    await new Promise<void>((resolve) => {
      const stop = c.shell.onStateChange((status) => {
        if (status.state === 'running') resolve(void stop());
      });
    });
  }
  const { program } = c.shell.state;
  assert.equal(program?.name, name);
  return program.pid;
}

const HELP = `Commands:
  run NAME [ARGS]       run a worksheet program (run alone lists them)
  python [FILE] [ARGS]  run a Python file (python alone: the >>> prompt)
  netstat -n            this device's sockets (-no adds their PIDs)
  ps                    this device's running programs
  kill PID              end a running program
  ipconfig              this device's lab address
  nc HOST PORT          connect, then type lines to send (nc -l PORT listens)
  help                  this list
  clear                 clear the screen
Keys: Ctrl-C stops the running program, Ctrl-D ends its input.
`;

/** The worksheet's Programs 1-11, as `run` lists them (Program 8 is a library). */
const LESSON_LIST = [
  ['basic_server', 'Program 1', "server on 127.0.0.1:12345: accepts one client, sends b'Hello from server\\n'"],
  ['basic_client', 'Program 2', 'client: asks for address and port, prints what one recv(1024) returns'],
  ['basic_server_split', 'Program 3', "server on 127.0.0.1:12345: sends b'Hello fr', waits 0.1 s, sends b'om server\\n'"],
  ['basic_client_protocol', 'Program 4', "client: asks for address and port, receives until b'\\n', prints the bytes"],
  ['basic_server_iterative', 'Program 5', "iterative server on 127.0.0.1:12345: sends b'Hello from server\\n' to every client (Ctrl-C stops it)"],
  ['chat_server', 'Program 6', 'chat server on 127.0.0.1:6789: you type first, then wait for the client (Ctrl-C stops it)'],
  ['chat_client', 'Program 7', 'chat client: asks for address and port, then waits for the server and replies in turn'],
  ['game_server', 'Program 9', 'tic-tac-toe server on 127.0.0.1:3456: you are O and move first'],
  ['game_client', 'Program 10', 'tic-tac-toe client for 127.0.0.1:3456: you are X and move second'],
  ['guess_client', 'Program 11', 'guess-the-number client for 127.0.0.1:9999: five tries to find a number from 1 to 100'],
] as const;

const ANSWERS = [
  ['practice_server', 'Question 6 (answer)'],
  ['practice_client', 'Question 6 (answer)'],
  ['chat_quit_server', 'Question 8 (answer)'],
  ['chat_quit_client', 'Question 8 (answer)'],
  ['game_server_alternative', 'Question 9 (answer)'],
  ['game_client_alternative', 'Question 9 (answer)'],
  ['guess_server', 'Question 10 (answer)'],
] as const;

test('the prompt is the lab address; an empty line, help, clear, an unknown command, an open quote', async () => {
  const { consoles: [c] } = await labConsoles(1);
  const p = c.prompt;
  assert.match(p, /^10\.\d+\.0\.2\$ $/);
  assert.equal(c.text(), p, 'the prompt is there as soon as the console is');
  assert.equal(c.shell.state.state, 'prompt');
  assert.equal(await command(c, ''), '');
  assert.equal(await command(c, 'help'), HELP);
  assert.equal(await command(c, 'clear'), '');
  assert.equal(c.clears, 1);
  assert.equal(await command(c, 'python3 x.py'), 'python3: command not found (type help)\n');
  assert.equal(await command(c, 'run "basic_server'), 'shell: unexpected end of line: the " is never closed\n');
  assert.equal(
    c.text(),
    [
      p,
      `${p}help`,
      ...HELP.split('\n').slice(0, -1),
      `${p}clear`,
      `${p}python3 x.py`,
      'python3: command not found (type help)',
      `${p}run "basic_server`,
      'shell: unexpected end of line: the " is never closed',
      p,
    ].join('\n'),
  );
});

test('Ctrl-C at the prompt drops the typed line; Ctrl-D at the prompt keeps the shell', async () => {
  const { consoles: [c] } = await labConsoles(1);
  const p = c.prompt;
  c.type('netst\x03');
  await c.waitForPrompt(p.length);
  assert.equal(c.text(), `${p}netst^C\n${p}`);
  assert.equal(await command(c, ''), '', 'the dropped text is not run by the next Enter');
  c.type('\x04');
  await c.waitForPrompt(c.text().length);
  assert.equal(c.text(), `${p}netst^C\n${p}\n${p}\n${p}`);
  assert.equal(c.shell.state.state, 'prompt');
  assert.equal(await command(c, 'kill'), 'kill: usage: kill [-SIGNAL] PID ...\n', 'the shell still runs commands');
});

test('run alone lists the lesson programs; the answers only once the teacher reveals them', async () => {
  const { consoles: [c] } = await labConsoles(1);
  let hiddenList = 'Built-in programs (type run NAME):\n';
  for (const [name, lesson, summary] of LESSON_LIST) hiddenList += `  ${name.padEnd(24)}${lesson}, ${name}.py\n      ${summary}\n`;
  hiddenList += "The worksheet's answer programs appear here once your teacher reveals them.\n";
  assert.equal(await command(c, 'run'), hiddenList);
  for (const name of ['guess_server', 'practice_server', 'chat_quit_client', 'no_such_program']) {
    assert.equal(await command(c, `run ${name}`), `run: ${name}: no such program (type run to list them)\n`);
  }

  const { code, consoles: [r] } = await labConsoles(1, revealed);
  const list = await command(r, 'run');
  const lines = list.split('\n');
  assert.equal(lines[0], 'Built-in programs (type run NAME):');
  const entries = lines.filter((line) => /^ {2}\S/.test(line));
  assert.deepEqual(
    entries.map((line) => line.trim().split(/ {2,}/)),
    [...LESSON_LIST, ...ANSWERS].map(([name, lesson]) => [name, `${lesson}, ${name}.py`]),
  );
  assert.equal(lines.filter((line) => /^ {6}\S/.test(line)).length, entries.length, 'each with a summary below it');
  assert.doesNotMatch(list, /reveals them/);
  // An answer program runs once revealed.
  await start(r, 'run guess_server');
  await waitListening(revealed, code, 9999);
  assert.ok((await programPid(r, 'guess_server')) > r.pid);
  r.type('\x03');
  await r.waitForPrompt(r.prompt.length);
  assert.match(r.text(), /\n10\.\d+\.0\.2\$ run guess_server\n\^C\nKeyboardInterrupt\n10\.\d+\.0\.2\$ $/);
});

test('Programs 1 and 2 in two consoles of one device: both screens', async () => {
  const { code, consoles: [one, two] } = await labConsoles(2);
  const p = one.prompt;
  assert.equal(two.prompt, p, 'two consoles of one device are one machine');
  await start(one, 'run basic_server');
  await waitListening(hidden, code, 12345);
  await start(two, 'run basic_client');
  await two.waitFor('Enter IPv4 address of server: ');
  assert.ok((await programPid(two, 'basic_client')) > (await programPid(one, 'basic_server')));
  two.type('127.0.0.1\r');
  await two.waitFor('Enter port number of server: ');
  two.type('12345\r');
  await two.waitForPrompt(p.length);
  await one.waitForPrompt(p.length);
  assert.equal(two.text(), `${p}run basic_client\nEnter IPv4 address of server: 127.0.0.1\nEnter port number of server: 12345\nb'Hello from server\\n'\n${p}`);
  const port = /Connected to: \('127\.0\.0\.1', (\d+)\)/.exec(one.text())?.[1];
  assert.ok(port !== undefined && Number(port) > 0 && Number(port) < 65536, one.text());
  assert.equal(one.text(), `${p}run basic_server\nConnected to: ('127.0.0.1', ${port})\n${p}`);
  assert.equal(one.shell.state.state, 'prompt');
  assert.equal(two.shell.state.state, 'prompt');
});

test('netstat and ps while basic_server listens; kill from another console ends it', async () => {
  const { code, consoles: [one, two] } = await labConsoles(2);
  const p = one.prompt;
  assert.equal(await command(two, 'netstat -n'), netstatTable([], false));
  await start(one, 'run basic_server');
  const { realPort } = await waitListening(hidden, code, 12345);
  const server = await programPid(one, 'basic_server');
  assert.equal(await command(two, 'ps'), psTable([[one.pid, 1, 'shell'], [two.pid, 2, 'shell (this console)'], [server, 1, 'basic_server']]));
  assert.equal(await command(two, 'netstat -n'), netstatTable([['127.0.0.1:12345', '0.0.0.0:0', 'LISTENING']], false) + hostPorts([['127.0.0.1:12345', realPort]]));
  assert.equal(await command(two, 'netstat -no'), netstatTable([['127.0.0.1:12345', '0.0.0.0:0', 'LISTENING', server]], true) + hostPorts([['127.0.0.1:12345', realPort]]));
  assert.equal(await command(two, 'netstat'), netstatTable([['127.0.0.1:12345', '0.0.0.0:0', 'LISTENING']], false) + hostPorts([['127.0.0.1:12345', realPort]]));
  assert.equal(await command(two, 'netstat -q'), 'netstat: unknown option -q (try netstat -n or netstat -no)\n');

  assert.equal(await command(two, `kill ${server}`), '');
  await one.waitForPrompt(p.length);
  assert.equal(one.text(), `${p}run basic_server\nTerminated\n${p}`);
  assert.equal(one.shell.state.state, 'prompt');
  assert.equal(await command(two, 'netstat -no'), netstatTable([], true), 'its listener is gone');
  assert.equal(await command(two, 'ps'), psTable([[one.pid, 1, 'shell'], [two.pid, 2, 'shell (this console)']]));
  // Its port is free again.
  await start(one, 'run basic_server');
  const again = await waitListening(hidden, code, 12345);
  assert.equal(await command(two, 'netstat -n'), netstatTable([['127.0.0.1:12345', '0.0.0.0:0', 'LISTENING']], false) + hostPorts([['127.0.0.1:12345', again.realPort]]));
  one.type('\x03');
  await one.waitForPrompt(one.text().lastIndexOf('run basic_server'));
});

test('netstat, ps and kill around a connected chat_server and chat_client', async () => {
  const { code, consoles: [one, two, three] } = await labConsoles(3);
  const p = one.prompt;
  await start(one, 'run chat_server');
  const { realPort } = await waitListening(hidden, code, 6789);
  await start(two, 'run chat_client');
  await two.waitFor('Enter IPv4 address of server: ');
  two.type('127.0.0.1\r');
  await two.waitFor('Enter port number of server: ');
  two.type('6789\r');
  await two.waitFor('WAITING FOR SERVER...\n');
  await one.waitFor('INPUT SERVER: ');
  const server = await programPid(one, 'chat_server');
  const client = await programPid(two, 'chat_client');

  assert.equal(
    await command(three, 'ps'),
    psTable([[one.pid, 1, 'shell'], [two.pid, 2, 'shell'], [three.pid, 3, 'shell (this console)'], [server, 1, 'chat_server'], [client, 2, 'chat_client']]),
  );
  const table = await command(three, 'netstat -no');
  // The client's port is the real ephemeral port of its TCP connection.
  const ephemeral = Number(/127\.0\.0\.1:(\d+) +127\.0\.0\.1:6789 /.exec(table)?.[1]);
  assert.ok(ephemeral > 0 && ephemeral !== 6789, table);
  const listening = ['127.0.0.1:6789', '0.0.0.0:0', 'LISTENING', server];
  const accepted = ['127.0.0.1:6789', `127.0.0.1:${ephemeral}`, 'ESTABLISHED', server];
  const connected = [`127.0.0.1:${ephemeral}`, '127.0.0.1:6789', 'ESTABLISHED', client];
  // Sorted by local address, then foreign address, as the table always is.
  const rows = ephemeral > 6789 ? [listening, accepted, connected] : [connected, listening, accepted];
  assert.equal(table, netstatTable(rows, true) + hostPorts([['127.0.0.1:6789', realPort]]));
  assert.equal(
    await command(three, 'netstat -n'),
    netstatTable(
      rows.map((row) => row.slice(0, 3)),
      false,
    ) + hostPorts([['127.0.0.1:6789', realPort]]),
  );

  // One turn of the chat.
  one.type('hello\r');
  await one.waitFor('WAITING FOR CLIENT...\n');
  await two.waitFor('INPUT CLIENT: ');
  // kill ends the client while it waits for its input: Terminated on a line of its own.
  assert.equal(await command(three, `kill ${client}`), '');
  await two.waitForPrompt(p.length);
  assert.equal(
    two.text(),
    `${p}run chat_client\nEnter IPv4 address of server: 127.0.0.1\nEnter port number of server: 6789\nWAITING FOR SERVER...\nSERVER WROTE: hello\n\nINPUT CLIENT: \nTerminated\n${p}`,
  );
  // The client's socket is gone; the server's end reads the end of the stream (once the
  // client's FIN has crossed the real connection).
  await waitSockets(hidden, code, (rows) => rows.some((row) => row.state === 'CLOSE_WAIT'));
  assert.equal(
    await command(three, 'netstat -no'),
    netstatTable([listening, ['127.0.0.1:6789', `127.0.0.1:${ephemeral}`, 'CLOSE_WAIT', server]], true) + hostPorts([['127.0.0.1:6789', realPort]]),
  );
  // chat_server now spins on recv() == b'' (as chat_server.py does): Ctrl-C stops it.
  one.type('\x03');
  await one.waitForPrompt(p.length);
  assert.equal(one.text(), `${p}run chat_server\nINPUT SERVER: hello\nWAITING FOR CLIENT...\n^C\nKeyboardInterrupt\n${p}`);
  assert.equal(await command(three, 'netstat -no'), netstatTable([], true));
  assert.equal(await command(three, 'ps'), psTable([[one.pid, 1, 'shell'], [two.pid, 2, 'shell'], [three.pid, 3, 'shell (this console)']]));
});

test("kill: bash's words for an unknown PID, a non-number, no PID; a shell ignores it; another device's PID is unknown", async () => {
  const { code, consoles: [one, two] } = await labConsoles(2);
  const p = one.prompt;
  assert.equal(await command(one, 'kill 99999'), 'kill: (99999) - No such process\n');
  assert.equal(await command(one, 'kill x'), 'kill: x: arguments must be process or job IDs\n');
  assert.equal(await command(one, 'kill -1x 5'), 'kill: -1x: invalid signal specification\n');
  assert.equal(await command(one, 'kill'), 'kill: usage: kill [-SIGNAL] PID ...\n');
  assert.equal(await command(one, `kill ${two.pid}`), '');
  assert.equal(await command(two, 'help'), HELP, "the other console's shell goes on");
  // A program on another device of the lab is not this device's to kill. (Each device
  // numbers its own processes: run one program to get past this device's two shells.)
  const other = await ShellConsole.open(hidden, code, `shell-device-${++devices}`);
  assert.equal(other.prompt, p.replace(/2\$ $/, '3$ '));
  assert.equal(await command(other, 'nc'), 'usage: nc HOST PORT | nc -l PORT\n');
  await start(other, 'run basic_server');
  await waitListening(hidden, code, 12345);
  const pid = await programPid(other, 'basic_server');
  assert.ok(pid !== one.pid && pid !== two.pid);
  assert.equal(await command(one, `kill ${pid}`), `kill: (${pid}) - No such process\n`);
  assert.equal(await command(one, `kill -9 ${pid} x`), `kill: (${pid}) - No such process\nkill: x: arguments must be process or job IDs\n`);
  assert.equal(other.shell.state.state, 'running');
  other.type('\x03');
  await other.waitForPrompt(other.prompt.length);
});

test('ipconfig shows the lab address of each device and the lab code', async () => {
  const { code, consoles: [one] } = await labConsoles(1);
  const second = await ShellConsole.open(hidden, code, `shell-device-${++devices}`);
  const ipconfig = (address: string, device: number) =>
    [
      '',
      'Socket Lab IP Configuration',
      '',
      `Lab adapter (lab ${code}, device ${device}):`,
      '',
      `   IPv4 Address. . . . . . . . . . . : ${address}`,
      '   Subnet Mask . . . . . . . . . . . : 255.255.255.0',
      `   Lab Code. . . . . . . . . . . . . : ${code}`,
      '',
      'Loopback adapter (this device only):',
      '',
      '   IPv4 Address. . . . . . . . . . . : 127.0.0.1',
      '   Subnet Mask . . . . . . . . . . . : 255.0.0.0',
      '',
    ].join('\n');
  const address = one.address;
  assert.match(address, /^10\.\d+\.0\.2$/);
  assert.equal(await command(one, 'ipconfig'), ipconfig(address, 1));
  assert.equal(second.address, address.replace(/\.2$/, '.3'));
  assert.equal(await command(second, 'ipconfig'), ipconfig(second.address, 2));
});

test('Ctrl-C stops basic_server blocked in accept, and its port is free again', async () => {
  const { code, consoles: [one, two] } = await labConsoles(2);
  const p = one.prompt;
  await start(one, 'run basic_server');
  await waitListening(hidden, code, 12345);
  one.type('\x03');
  await one.waitForPrompt(p.length);
  assert.equal(one.text(), `${p}run basic_server\n^C\nKeyboardInterrupt\n${p}`);
  assert.equal(await command(two, 'netstat -n'), netstatTable([], false));
  // The same program again binds the same port, and serves a client.
  await start(one, 'run basic_server');
  await waitListening(hidden, code, 12345);
  assert.equal(await command(two, 'nc 127.0.0.1 12345'), 'Hello from server\n');
  await one.waitForPrompt(one.text().lastIndexOf('run basic_server'));
  assert.match(one.text(), /\n\^C\nKeyboardInterrupt\n10\.\d+\.0\.2\$ run basic_server\nConnected to: \('127\.0\.0\.1', \d+\)\n10\.\d+\.0\.2\$ $/);
});

test('Ctrl-C typed right after Enter interrupts the program that line starts', async () => {
  const { consoles: [one, two] } = await labConsoles(2);
  const p = one.prompt;
  one.type('run basic_server\r\x03'); // the ^C arrives before the program has even started
  await one.waitForPrompt(p.length);
  assert.equal(one.text(), `${p}run basic_server\n^C\nKeyboardInterrupt\n${p}`);
  assert.equal(await command(two, 'netstat -n'), netstatTable([], false));
  assert.equal(await command(two, 'ps'), psTable([[one.pid, 1, 'shell'], [two.pid, 2, 'shell (this console)']]));
});

test("Ctrl-C and Ctrl-D at a program's input()", async () => {
  const { consoles: [c] } = await labConsoles(1);
  const p = c.prompt;
  await start(c, 'run basic_client');
  await c.waitFor('Enter IPv4 address of server: ');
  c.type('127.0.');
  c.type('\x03');
  await c.waitForPrompt(p.length);
  await start(c, 'run basic_client');
  await c.waitFor('Enter IPv4 address of server: ', c.text().lastIndexOf('run basic_client'));
  c.type('\x04');
  await c.waitForPrompt(c.text().lastIndexOf('run basic_client'));
  assert.equal(
    c.text(),
    [
      `${p}run basic_client`,
      'Enter IPv4 address of server: 127.0.^C',
      'KeyboardInterrupt',
      `${p}run basic_client`,
      // Ctrl-D echoes nothing, as in a terminal: CPython's traceback starts on the prompt's line.
      'Enter IPv4 address of server: EOFError: EOF when reading a line',
      p,
    ].join('\n'),
  );
  // Nothing is left of either program.
  assert.equal(await command(c, 'ps'), psTable([[c.pid, 1, 'shell (this console)']]));
});

test('basic_client against nothing, and with a port that is not a number', async () => {
  const { consoles: [c] } = await labConsoles(1);
  const p = c.prompt;
  await start(c, 'run basic_client');
  c.type('127.0.0.1\r12345\r'); // typed ahead: input() takes them in turn
  await c.waitForPrompt(p.length);
  await start(c, 'run basic_client');
  c.type('127.0.0.1\rabc\r');
  await c.waitForPrompt(c.text().lastIndexOf('run basic_client'));
  assert.equal(
    c.text(),
    [
      `${p}run basic_client`,
      '127.0.0.1',
      '12345',
      'Enter IPv4 address of server: Enter port number of server: ConnectionRefusedError: [Errno 111] Connection refused',
      `${p}run basic_client`,
      '127.0.0.1',
      'abc',
      "Enter IPv4 address of server: Enter port number of server: ValueError: invalid literal for int() with base 10: 'abc'",
      p,
    ].join('\n'),
  );
});

test('a command typed while a program runs (type-ahead) runs after it, shown after the prompt', async () => {
  const { code, consoles: [one, two] } = await labConsoles(2);
  const p = one.prompt;
  await start(one, 'run basic_server');
  await waitListening(hidden, code, 12345);
  one.type('help\r'); // basic_server does not read: the shell gets this line afterwards
  one.type('netst'); // and this much of the next one
  assert.equal(one.shell.state.state, 'running');
  await start(two, 'nc 127.0.0.1 12345');
  await two.waitForPrompt(p.length);
  assert.equal(two.text(), `${p}nc 127.0.0.1 12345\nHello from server\n${p}`);
  await one.waitFor(/\$ netst$/); // the prompt, then the redrawn start of the next line
  const server = /Connected to: \('127\.0\.0\.1', (\d+)\)/.exec(one.text());
  assert.ok(server, one.text());
  assert.equal(
    one.text(),
    [`${p}run basic_server`, 'help', `netstConnected to: ('127.0.0.1', ${server[1]})`, `${p}help`, ...HELP.split('\n').slice(0, -1), `${p}netst`].join('\n'),
  );
  // The redrawn text is the line being typed: finish it and run it.
  one.type('at -n\r');
  await one.waitForPrompt(one.text().length);
  assert.match(one.text(), /\n10\.\d+\.0\.2\$ netstat -n\n\nActive Connections\n/);
  assert.ok(one.text().endsWith(netstatTable([], false) + p));
});

test('nc -l and nc in two consoles: lines both ways, Ctrl-D half-closes, each ends when its peer does', async () => {
  const { code, consoles: [one, two, three] } = await labConsoles(3);
  const p = one.prompt;
  await start(one, 'nc -l 5000');
  const { realPort } = await waitListening(hidden, code, 5000);
  const listener = await programPid(one, 'nc');
  assert.equal(await command(three, 'netstat -no'), netstatTable([['0.0.0.0:5000', '0.0.0.0:0', 'LISTENING', listener]], true) + hostPorts([['0.0.0.0:5000', realPort]]));
  await start(two, 'nc 127.0.0.1 5000');
  const connector = await programPid(two, 'nc');
  two.type('hello from two\r');
  await one.waitFor('hello from two\n');
  one.type('and from one\r');
  await two.waitFor('and from one\n');
  // nc -l took one connection and closed its listener, as netcat does without -k.
  const table = await command(three, 'netstat -no');
  const ephemeral = Number(/127\.0\.0\.1:(\d+) +127\.0\.0\.1:5000 /.exec(table)?.[1]);
  const accepted = ['127.0.0.1:5000', `127.0.0.1:${ephemeral}`, 'ESTABLISHED', listener];
  const connected = [`127.0.0.1:${ephemeral}`, '127.0.0.1:5000', 'ESTABLISHED', connector];
  assert.equal(table, netstatTable(ephemeral > 5000 ? [accepted, connected] : [connected, accepted], true));

  two.type('\x04'); // end of input: two's nc sends its end of stream...
  // ...one's nc reads it and ends, which ends the connection, so two's nc ends too.
  await one.waitForPrompt(p.length);
  await two.waitForPrompt(p.length);
  assert.equal(one.text(), `${p}nc -l 5000\nhello from two\nand from one\n${p}`);
  assert.equal(two.text(), `${p}nc 127.0.0.1 5000\nhello from two\nand from one\n${p}`);
  assert.equal(await command(three, 'netstat -n'), netstatTable([], false));
  // The next command typed in either console is the shell's (nc kept no read of the keyboard).
  assert.equal(await command(one, 'ps'), psTable([[one.pid, 1, 'shell (this console)'], [two.pid, 2, 'shell'], [three.pid, 3, 'shell']]));
  assert.equal(await command(two, 'kill x'), 'kill: x: arguments must be process or job IDs\n');
});

test('nc: a half-closed connection still carries the other way', async () => {
  const { code, consoles: [one] } = await labConsoles(1);
  const p = one.prompt;
  // A native program on the lab server's computer is the peer, through the listener's host port.
  await start(one, 'nc -l 5001');
  const { realPort } = await waitListening(hidden, code, 5001);
  const peer = net.connect({ host: '127.0.0.1', port: realPort, allowHalfOpen: true });
  let received = '';
  const ended = new Promise<void>((resolve) => peer.on('end', resolve));
  peer.on('data', (chunk: Buffer) => (received += chunk.toString()));
  await new Promise((resolve) => peer.once('connect', resolve));
  peer.write('from the host\n');
  await one.waitFor('from the host\n');
  one.type('one\r\x04'); // a line, then Ctrl-D: nc half-closes
  await ended;
  assert.equal(received, 'one\n');
  peer.end('still arriving, no newline'); // the host's side can still send, then ends
  await one.waitForPrompt(p.length);
  assert.equal(one.text(), `${p}nc -l 5001\nfrom the host\none\nstill arriving, no newline\n${p}`, 'the prompt starts on a new line');
  peer.destroy();
});

test('nc against basic_server; run passes arguments to nc; bad arguments; port 80; nobody listening', async () => {
  const { code, consoles: [one, two] } = await labConsoles(2);
  const p = one.prompt;
  await start(one, 'run basic_server');
  await waitListening(hidden, code, 12345);
  assert.equal(await command(two, 'nc 127.0.0.1 12345'), 'Hello from server\n');
  await one.waitForPrompt(p.length);
  await start(one, 'run basic_server');
  await waitListening(hidden, code, 12345);
  assert.equal(await command(two, `run nc "127.0.0.1" '12345'`), 'Hello from server\n');
  await one.waitForPrompt(one.text().lastIndexOf('run basic_server'));
  assert.match(one.text(), /^10\.\d+\.0\.2\$ run basic_server\nConnected to: \('127\.0\.0\.1', \d+\)\n10\.\d+\.0\.2\$ run basic_server\nConnected to: \('127\.0\.0\.1', \d+\)\n10\.\d+\.0\.2\$ $/);

  const usage = 'usage: nc HOST PORT | nc -l PORT\n';
  for (const line of ['nc', 'nc -l', 'nc 127.0.0.1', 'nc 127.0.0.1 port', 'nc -x 5000', 'nc 127.0.0.1 70000', 'nc -l 5000 extra']) {
    assert.equal(await command(two, line), usage, line);
  }
  assert.equal(await command(two, 'nc -l 80'), 'PermissionError: [Errno 13] Permission denied\n');
  assert.equal(await command(two, 'nc 127.0.0.1 5002'), 'ConnectionRefusedError: [Errno 111] Connection refused\n');
  assert.equal(await command(two, 'ps'), psTable([[one.pid, 1, 'shell'], [two.pid, 2, 'shell (this console)']]));
});

test("closing a console ends its program and closes its sockets; the shell's loop ends", async () => {
  const { code, consoles: [one, two] } = await labConsoles(2);
  await start(one, 'run basic_server');
  await waitListening(hidden, code, 12345);
  one.close();
  await one.loop;
  assert.equal(one.shell.state.state, 'stopped');
  const before = one.text();
  one.type('ps\r');
  assert.equal(one.text(), before, 'a closed console takes no keys');
  // The server saw the WebSocket go: the console's processes and sockets went with it.
  await waitSockets(hidden, code, (rows) => rows.length === 0);
  assert.equal(await command(two, 'ps'), psTable([[two.pid, 2, 'shell (this console)']]));
  assert.equal(await command(two, 'netstat -n'), netstatTable([], false));
});

test('the lab server goes away: the program says so, then the console, and it takes no more keys', async () => {
  const server = await startLabServer({ revealAnswers: false });
  const code = await server.createLab();
  const c = await ShellConsole.open(server, code, 'shell-device-gone');
  const p = c.prompt;
  await start(c, 'run basic_server');
  await waitListening(server, code, 12345);
  await server.app.close(); // the server closes every bridge
  await c.loop;
  await c.waitFor('Reconnecting as soon as it is back…]\n');
  assert.equal(
    c.text(),
    `${p}run basic_server\n[the program ended: the lab server went away]\n[The lab server went away. Reconnecting as soon as it is back…]\n`,
  );
  assert.equal(c.shell.state.state, 'stopped');
  c.type('ps\r');
  assert.ok(c.text().endsWith('is back…]\n'), 'keys are ignored while the connection is gone');
});
