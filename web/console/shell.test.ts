import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Call, NetstatRow, ProcessRow } from '../../shared/bridge-protocol.ts';
import { keyboardInterrupt, PyException } from '../../shared/py-exception.ts';
import type { BuiltinProgram } from '../programs/program.ts';
import type { ConsoleIO, RunningProgram } from '../programs/program-runner.ts';
import { LineDiscipline } from './line-discipline.ts';
import { Shell, type ProgramLauncher, type ShellSession } from './shell.ts';
import { Transcript } from './transcript.ts';

type FakeMain = (io: ConsoleIO, argv: readonly string[], signal: AbortSignal) => Promise<void>;

/** Runs the shell over a real line discipline with a fake bridge and fake programs. */
function setup(mains: Record<string, FakeMain> = {}, options: { processes?: ProcessRow[]; netstat?: NetstatRow[] } = {}) {
  const transcript = new Transcript();
  const terminal = new LineDiscipline((text) => transcript.append(text));
  const calls: Call[] = [];
  const started: { name: string; argv: readonly string[] }[] = [];
  let clears = 0;
  let nextPid = 20;
  const processes = options.processes ?? [{ pid: 3, console: 1, name: 'shell' }];
  const killListeners = new Set<(pid: number) => void>();
  const session: ShellSession = {
    welcome: { t: 'welcome', v: 1, lab: 'K7QX2M', device: { id: 1, address: '10.1.0.2' }, pid: 3, console: 1, revealAnswers: false },
    revealAnswers: false,
    onKill(listener) {
      killListeners.add(listener);
      return () => killListeners.delete(listener);
    },
    async call(call) {
      calls.push(call);
      switch (call.op) {
        case 'netstat':
          return (options.netstat ?? []) as never;
        case 'ps':
          return processes as never;
        case 'ipconfig':
          return { address: '10.1.0.2', lab: 'K7QX2M', device: 1 } as never;
        case 'kill':
          if (!processes.some((p) => p.pid === (call as Extract<Call, { op: 'kill' }>).pid)) throw new PyException('ProcessLookupError', 'No such process', 3);
          return null as never;
        default:
          throw new Error(`unexpected call ${call.op}`);
      }
    },
  };
  const program = (name: string): BuiltinProgram => ({ name, file: `${name}.py`, lesson: 'Program 1', summary: `does ${name}`, main: async () => {} });
  const launcher: ProgramLauncher = {
    async find(name) {
      return name in mains ? program(name) : null;
    },
    async list() {
      return Object.keys(mains).map(program);
    },
    async start(p, io, argv): Promise<RunningProgram> {
      started.push({ name: p.name, argv });
      const controller = new AbortController();
      const pid = nextPid++;
      // As the runner does: a kill for this PID ends the program without a traceback.
      const stop = session.onKill((killed) => killed === pid && controller.abort(new Error('Terminated')));
      const done = mains[p.name]!(io, argv, controller.signal)
        .catch((err: unknown) => {
          if (err instanceof PyException) io.write(`${err.toString()}\n`);
        })
        .finally(stop);
      return { pid, interrupt: () => controller.abort(keyboardInterrupt()), done };
    },
  };
  const shell = new Shell({ session, terminal, launcher, clear: () => clears++ });
  const loop = shell.start();
  return {
    shell,
    terminal,
    killFromElsewhere: (pid: number) => [...killListeners].forEach((listener) => listener(pid)),
    calls,
    started,
    loop,
    clears: () => clears,
    text: () => transcript.text(),
    type: (keys: string) => terminal.input(keys),
  };
}

/** Lets pending promise callbacks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test('prints the prompt at once; an empty line gives a new prompt', async () => {
  const t = setup();
  assert.equal(t.text(), '10.1.0.2$ ');
  assert.equal(t.shell.state.state, 'prompt');
  t.type('\r');
  await settle();
  assert.equal(t.text(), '10.1.0.2$ \n10.1.0.2$ ');
});

test('unknown command', async () => {
  const t = setup();
  t.type('python3 x.py\r');
  await settle();
  assert.equal(t.text(), '10.1.0.2$ python3 x.py\npython3: command not found (type help)\n10.1.0.2$ ');
});

test('help lists every command on one line each', async () => {
  const t = setup();
  t.type('help\r');
  await settle();
  for (const usage of ['run NAME [ARGS]', 'netstat -n', 'ps', 'kill PID', 'ipconfig', 'nc HOST PORT', 'help', 'clear']) {
    assert.match(t.text(), new RegExp(`\\n  ${usage.replace(/[[\]]/g, '\\$&')} +\\S`), usage);
  }
});

test('run with a program: it owns the console, reads lines, then the prompt comes back', async () => {
  const t = setup({
    basic_client: async (io, _argv, signal) => {
      io.write('Enter IPv4 address of server: ');
      const address = await io.readLine(signal);
      io.write(`got ${address}\n`);
    },
  });
  t.type('run basic_client\r');
  await settle();
  assert.equal(t.shell.state.state, 'running');
  assert.deepEqual(t.shell.state.program, { name: 'basic_client', pid: 20 });
  t.type('127.0.0.1\r');
  await settle();
  assert.equal(t.text(), '10.1.0.2$ run basic_client\nEnter IPv4 address of server: 127.0.0.1\ngot 127.0.0.1\n10.1.0.2$ ');
  assert.equal(t.shell.state.state, 'prompt');
});

test('run passes the arguments; nc HOST PORT runs the nc program with them', async () => {
  const t = setup({ nc: async () => {}, basic_server: async () => {} });
  t.type('run basic_server a "b c"\r');
  await settle();
  t.type('nc 10.1.0.3 12345\r');
  await settle();
  t.type('nc -l 6789\r');
  await settle();
  assert.deepEqual(t.started, [
    { name: 'basic_server', argv: ['a', 'b c'] },
    { name: 'nc', argv: ['10.1.0.3', '12345'] },
    { name: 'nc', argv: ['-l', '6789'] },
  ]);
});

test('run with an unknown or hidden name', async () => {
  const t = setup();
  t.type('run practice_server\r');
  await settle();
  assert.match(t.text(), /\nrun: practice_server: no such program \(type run to list them\)\n10\.1\.0\.2\$ $/);
});

test('run alone lists the programs with their worksheet place and summary', async () => {
  const t = setup({ basic_server: async () => {} });
  t.type('run\r');
  await settle();
  assert.match(t.text(), /Built-in programs \(type run NAME\):\n {2}basic_server {2}Program 1, basic_server\.py\n {6}does basic_server\n/);
  assert.match(t.text(), /answer programs appear here once your teacher reveals them/);
});

test('Ctrl-C while a program runs interrupts it; the prompt comes back on a fresh line', async () => {
  const t = setup({
    chat_server: async (io, _argv, signal) => {
      io.write('INPUT SERVER: ');
      await io.readLine(signal);
    },
  });
  t.type('run chat_server\r');
  await settle();
  t.type('hal');
  t.type('\x03');
  await settle();
  assert.equal(t.text(), '10.1.0.2$ run chat_server\nINPUT SERVER: hal^C\nKeyboardInterrupt\n10.1.0.2$ ');
});

test('a program that ends mid-line gets the prompt on the next line', async () => {
  const t = setup({ nc: async (io) => io.write('no newline') });
  t.type('nc x 1\r');
  await settle();
  assert.match(t.text(), /\nno newline\n10\.1\.0\.2\$ $/);
});

test('Ctrl-C at the prompt gives a fresh prompt and drops the typed text', async () => {
  const t = setup();
  t.type('netst\x03');
  await settle();
  assert.equal(t.text(), '10.1.0.2$ netst^C\n10.1.0.2$ ');
  assert.equal(t.shell.state.state, 'prompt');
  t.type('\r');
  await settle();
  assert.equal(t.calls.length, 0);
});

test('Ctrl-D at the prompt keeps the shell, on a new line', async () => {
  const t = setup();
  t.type('\x04');
  await settle();
  assert.equal(t.text(), '10.1.0.2$ \n10.1.0.2$ ');
});

test('lines typed while a program runs but does not read go to the shell afterwards', async () => {
  let finish = () => {};
  const t = setup({ basic_server: () => new Promise<void>((resolve) => (finish = resolve)) });
  t.type('run basic_server\r');
  await settle();
  t.type('ps\r');
  await settle();
  assert.equal(t.calls.length, 0);
  finish();
  await settle();
  assert.deepEqual(t.calls, [{ op: 'ps' }]);
});

test('netstat -n and -no ask the bridge and print the worksheet format', async () => {
  const t = setup({}, { netstat: [{ proto: 'TCP', local: '127.0.0.1:12345', foreign: '0.0.0.0:0', state: 'LISTENING', pid: 20, device: '10.1.0.2', realPort: 12345 }] });
  t.type('netstat -no\r');
  await settle();
  assert.match(t.text(), /Active Connections\n\n {2}Proto {2}Local Address {10}Foreign Address {8}State {11}PID\n {2}TCP {4}127\.0\.0\.1:12345 {8}0\.0\.0\.0:0 {14}LISTENING {7}20\n/);
  assert.match(t.text(), /\n {2}127\.0\.0\.1:12345 {8}\(host port 12345\)\n/);
  t.type('netstat\r');
  await settle();
  t.type('netstat -q\r');
  await settle();
  assert.equal(t.calls.length, 2);
  assert.match(t.text(), /netstat: unknown option -q/);
});

test('ps, ipconfig, clear', async () => {
  const t = setup();
  t.type('ps\r');
  await settle();
  assert.match(t.text(), / {4}PID {2}CONSOLE CMD\n {6}3 {8}1 shell \(this console\)\n/);
  t.type('ipconfig\r');
  await settle();
  assert.match(t.text(), /IPv4 Address(\. )+\. : 10\.1\.0\.2\n/);
  assert.match(t.text(), /127\.0\.0\.1/);
  t.type('clear\r');
  await settle();
  assert.equal(t.clears(), 1);
});

test("kill: bash's messages for a bad or unknown PID", async () => {
  const t = setup({}, { processes: [{ pid: 3, console: 1, name: 'shell' }, { pid: 7, console: 2, name: 'basic_server' }] });
  t.type('kill 7\r');
  await settle();
  t.type('kill 99\r');
  await settle();
  t.type('kill x\r');
  await settle();
  t.type('kill\r');
  await settle();
  assert.deepEqual(t.calls, [{ op: 'kill', pid: 7 }, { op: 'kill', pid: 99 }]);
  assert.equal(
    t.text(),
    [
      '10.1.0.2$ kill 7',
      '10.1.0.2$ kill 99',
      'kill: (99) - No such process',
      '10.1.0.2$ kill x',
      'kill: x: arguments must be process or job IDs',
      '10.1.0.2$ kill',
      'kill: usage: kill [-SIGNAL] PID ...',
      '10.1.0.2$ ',
    ].join('\n'),
  );
});

test('a failing bridge call prints the command and the reason', async () => {
  const t = setup();
  t.shell.stop(); // this test drives execute() directly
  await t.loop;
  const writes: string[] = [];
  const shell = new Shell({
    session: { onKill: () => () => {}, welcome: { t: 'welcome', v: 1, lab: 'X', device: { id: 1, address: '10.1.0.2' }, pid: 3, console: 1, revealAnswers: false }, revealAnswers: false, call: () => Promise.reject(new Error('the lab server went away')) },
    terminal: { write: (text) => writes.push(text), readLine: () => new Promise(() => {}), onInterrupt: () => () => {}, atLineStart: true, readerWaiting: false },
    launcher: { find: async () => null, list: async () => [], start: () => Promise.reject(new Error('unused')) },
    clear: () => {},
  });
  await shell.execute('ps');
  assert.deepEqual(writes, ['ps: the lab server went away\n']);
});

test('stop ends the loop and prints nothing more', async () => {
  const t = setup();
  t.shell.stop();
  await t.loop;
  assert.equal(t.shell.state.state, 'stopped');
  t.type('ps\r');
  await settle();
  assert.equal(t.calls.length, 0);
});

test('an unclosed quote is reported', async () => {
  const t = setup();
  t.type('run "x\r');
  await settle();
  assert.match(t.text(), /\nshell: unexpected end of line: the " is never closed\n/);
});

test('a program ended by kill from another console: Terminated, as bash says', async () => {
  const t = setup({
    basic_server: (_io, _argv, signal) => new Promise<void>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
  });
  t.type('run basic_server\r');
  await settle();
  t.killFromElsewhere(99); // another program's PID: nothing happens here
  await settle();
  assert.equal(t.shell.state.state, 'running');
  t.killFromElsewhere(20);
  await settle();
  assert.equal(t.text(), '10.1.0.2$ run basic_server\nTerminated\n10.1.0.2$ ');
});

test('Ctrl-C while a program is still starting interrupts it as soon as it runs', async () => {
  let interrupted = false;
  const t = setup({
    basic_server: (_io, _argv, signal) =>
      new Promise<void>((resolve) => {
        const stop = () => {
          interrupted = true;
          resolve();
        };
        if (signal.aborted) stop();
        else signal.addEventListener('abort', stop);
      }),
  });
  t.type('run basic_server\r\x03'); // the ^C arrives before the launcher has answered
  await settle();
  assert.equal(interrupted, true);
  assert.equal(t.shell.state.state, 'prompt');
});
