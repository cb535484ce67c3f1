import { test } from 'vitest';
import assert from 'node:assert/strict';
import type { NetstatRow } from '../../shared/bridge-protocol.ts';
import { labLinks, labListeners } from './connection-graph.ts';

const row = (device: string, local: string, foreign: string, state: string, pid = 1000): NetstatRow => ({
  proto: 'TCP',
  local,
  foreign,
  state,
  pid,
  device,
});

test('two devices: the two ends of one connection are one link, client to server', () => {
  const rows = [
    row('10.1.0.2', '0.0.0.0:12345', '0.0.0.0:0', 'LISTENING'),
    row('10.1.0.2', '10.1.0.2:12345', '10.1.0.3:50123', 'ESTABLISHED'),
    row('10.1.0.3', '10.1.0.3:50123', '10.1.0.2:12345', 'ESTABLISHED', 1001),
  ];
  assert.deepEqual(labLinks(rows), [{ client: '10.1.0.3', server: '10.1.0.2', port: 12345, state: 'ESTABLISHED', outside: null }]);
  assert.deepEqual(labListeners(rows), [{ device: '10.1.0.2', local: '0.0.0.0:12345', port: 12345, pid: 1000 }]);
});

test('127.0.0.1 on one device is not 127.0.0.1 on another', () => {
  const rows = [
    row('10.1.0.2', '127.0.0.1:5000', '0.0.0.0:0', 'LISTENING'),
    row('10.1.0.2', '127.0.0.1:5000', '127.0.0.1:40000', 'ESTABLISHED'),
    row('10.1.0.2', '127.0.0.1:40000', '127.0.0.1:5000', 'ESTABLISHED'),
    row('10.1.0.3', '127.0.0.1:5000', '0.0.0.0:0', 'LISTENING'),
    row('10.1.0.3', '127.0.0.1:5000', '127.0.0.1:40001', 'CLOSE_WAIT'),
    row('10.1.0.3', '127.0.0.1:40001', '127.0.0.1:5000', 'FIN_WAIT_2'),
  ];
  assert.deepEqual(labLinks(rows), [
    { client: '10.1.0.2', server: '10.1.0.2', port: 5000, state: 'ESTABLISHED', outside: null },
    { client: '10.1.0.3', server: '10.1.0.3', port: 5000, state: 'FIN_WAIT_2', outside: null },
  ]);
});

test('an end with no partner in the lab is a link to or from outside; listeners and SYN_SENT are not links', () => {
  const rows = [
    row('10.1.0.2', '0.0.0.0:6000', '0.0.0.0:0', 'LISTENING'),
    row('10.1.0.2', '127.0.0.1:6000', '127.0.0.1:51515', 'ESTABLISHED'),
    row('10.1.0.3', '10.1.0.3:41000', '127.0.0.1:2000', 'ESTABLISHED'),
    row('10.1.0.3', '10.1.0.3:41001', '10.1.0.2:7000', 'SYN_SENT'),
  ];
  assert.deepEqual(labLinks(rows), [
    { client: '127.0.0.1:51515', server: '10.1.0.2', port: 6000, state: 'ESTABLISHED', outside: 'client' },
    { client: '10.1.0.3', server: '127.0.0.1:2000', port: 2000, state: 'ESTABLISHED', outside: 'server' },
  ]);
});

test("an end whose lab partner is gone still points at that device", () => {
  const rows = [
    row('10.1.0.2', '0.0.0.0:7000', '0.0.0.0:0', 'LISTENING'),
    row('10.1.0.2', '10.1.0.2:7000', '10.1.0.3:50000', 'CLOSE_WAIT'),
    row('10.1.0.3', '10.1.0.3:50001', '10.1.0.2:8000', 'FIN_WAIT_2'),
  ];
  assert.deepEqual(labLinks(rows, ['10.1.0.2', '10.1.0.3']), [
    { client: '10.1.0.3', server: '10.1.0.2', port: 7000, state: 'CLOSE_WAIT', outside: null },
    { client: '10.1.0.3', server: '10.1.0.2', port: 8000, state: 'FIN_WAIT_2', outside: null },
  ]);
});
