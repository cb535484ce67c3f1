import { test } from 'vitest';
import assert from 'node:assert/strict';
import type { NetstatRow } from '../../../shared/bridge-protocol.ts';
import { formatNetstat, parseNetstatArgs } from './netstat-format.ts';

const rows: NetstatRow[] = [
  { proto: 'TCP', local: '127.0.0.1:50831', foreign: '127.0.0.1:12345', state: 'ESTABLISHED', pid: 7, device: '10.1.0.2' },
  { proto: 'TCP', local: '127.0.0.1:12345', foreign: '0.0.0.0:0', state: 'LISTENING', pid: 5, device: '10.1.0.2', realPort: 41234 },
  { proto: 'TCP', local: '127.0.0.1:12345', foreign: '127.0.0.1:50831', state: 'ESTABLISHED', pid: 5, device: '10.1.0.2' },
];

test('netstat -n: the worksheet columns, sorted by local address, then the listeners with their host port', () => {
  assert.equal(
    formatNetstat(rows, { showPid: false }),
    [
      '',
      'Active Connections',
      '',
      '  Proto  Local Address          Foreign Address        State',
      '  TCP    127.0.0.1:12345        0.0.0.0:0              LISTENING',
      '  TCP    127.0.0.1:12345        127.0.0.1:50831        ESTABLISHED',
      '  TCP    127.0.0.1:50831        127.0.0.1:12345        ESTABLISHED',
      '',
      "Listening sockets and their real ports on the lab server's computer",
      '(a native python3 program there connects to 127.0.0.1 and the host port):',
      '  127.0.0.1:12345        (host port 41234)',
      '',
    ].join('\n'),
  );
});

test('netstat -no adds the PID column', () => {
  const lines = formatNetstat(rows, { showPid: true }).split('\n');
  assert.equal(lines[3], '  Proto  Local Address          Foreign Address        State           PID');
  assert.equal(lines[4], '  TCP    127.0.0.1:12345        0.0.0.0:0              LISTENING       5');
  assert.equal(lines[6], '  TCP    127.0.0.1:50831        127.0.0.1:12345        ESTABLISHED     7');
});

test('addresses sort numerically, not as text', () => {
  const out = formatNetstat(
    [
      { proto: 'TCP', local: '10.1.0.10:2000', foreign: '10.1.0.2:1', state: 'ESTABLISHED', pid: 1, device: 'x' },
      { proto: 'TCP', local: '10.1.0.9:30000', foreign: '10.1.0.2:1', state: 'ESTABLISHED', pid: 1, device: 'x' },
      { proto: 'TCP', local: '10.1.0.9:4000', foreign: '10.1.0.2:1', state: 'ESTABLISHED', pid: 1, device: 'x' },
    ],
    { showPid: false },
  );
  const locals = out.split('\n').slice(4, 7).map((l) => l.split(/\s+/)[2]);
  assert.deepEqual(locals, ['10.1.0.9:4000', '10.1.0.9:30000', '10.1.0.10:2000']);
});

test('the table is never wider than Windows prints it (79 columns)', () => {
  const table = formatNetstat(rows, { showPid: true }).split('\n');
  for (const line of table) assert.ok(line.length <= 79, line);
});

test('no sockets: the header and a plain note', () => {
  assert.match(formatNetstat([], { showPid: true }), /State {11}PID\n {2}\(none: no program on this device has a socket open\)\n$/);
});

test('a long address still leaves a space before the next column', () => {
  const out = formatNetstat(
    [{ proto: 'TCP', local: '255.255.255.255:65535', foreign: '255.255.255.255:65535', state: 'SYN_SENT', pid: 3, device: 'x' }],
    { showPid: true },
  );
  assert.match(out, / {2}TCP {4}255\.255\.255\.255:65535 {2}255\.255\.255\.255:65535 {2}SYN_SENT {8}3\n/);
});

test('options: -n, -o, -no, -on, -ano, /no and none; anything else is an error', () => {
  assert.deepEqual(parseNetstatArgs([]), { showPid: false });
  assert.deepEqual(parseNetstatArgs(['-n']), { showPid: false });
  for (const args of [['-no'], ['-on'], ['-ano'], ['-n', '-o'], ['/no'], ['-NO']]) {
    assert.deepEqual(parseNetstatArgs(args), { showPid: true }, args.join(' '));
  }
  assert.deepEqual(parseNetstatArgs(['-x']), { error: 'netstat: unknown option -x (try netstat -n or netstat -no)' });
  assert.deepEqual(parseNetstatArgs(['5']), { error: "netstat: '5' is not an option (try netstat -n or netstat -no)" });
});
