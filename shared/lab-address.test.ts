import { test } from 'vitest';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  checkBind,
  classifyConnectTarget,
  claimsCollide,
  deviceAddress,
  formatIPv4,
  LOOPBACK_IPV4,
  parseIPv4,
  resolveHost,
} from './lab-address.ts';

const HOSTS = [
  '127.0.0.1', '127.1', '127.0.1', '0x7f.1', '0x7f.0.0.1', '0177.0.0.1', '2130706433', '017700000001',
  '10.1.0.2', '255.255.255.255', '256.0.0.1', '1.2.3.256', '1.2.65535', '1.2.65536', '1.16777215',
  '1.16777216', '4294967295', '4294967296', '', '.', '1..1', '1.2.3.4.', '1.2.3.4.5', '08.1.1.1', '0x', '0x.1',
  '1.2.3.4 ', ' 1.2.3.4', 'a.b.c.d', '-1.2.3.4', '0', '00', '0x0', '1e3', '+1.2.3.4', '09',
];

test('parseIPv4 reads numeric hosts as CPython does (getaddrinfo, numeric)', () => {
  const script = `
import json, socket, sys
out = []
for h in json.loads(sys.argv[1]):
    try:
        out.append(socket.getaddrinfo(h, None, socket.AF_INET, socket.SOCK_STREAM, 0, socket.AI_NUMERICHOST)[0][4][0])
    except Exception:
        out.append(None)
print(json.dumps(out))`;
  const expected = JSON.parse(execFileSync('python3', ['-c', script, JSON.stringify(HOSTS)], { encoding: 'utf8' })) as (string | null)[];
  HOSTS.forEach((host, i) => {
    const ip = parseIPv4(host);
    // CPython reads '' as INADDR_ANY itself before getaddrinfo; resolveHost covers that.
    if (host === '') return;
    assert.equal(ip === null ? null : formatIPv4(ip), expected[i], `host ${JSON.stringify(host)}`);
  });
});

test('resolveHost: empty is 0.0.0.0, localhost is loopback, names are unknown', () => {
  assert.deepEqual(resolveHost(''), { ip: 0 });
  assert.deepEqual(resolveHost('localhost'), { ip: LOOPBACK_IPV4 });
  assert.deepEqual(resolveHost('::ffff:127.0.0.1'), { ip: LOOPBACK_IPV4 });
  assert.equal((resolveHost('::1') as { error: { errno: number } }).error.errno, -9);
  assert.deepEqual(resolveHost('example.com'), { error: { type: 'socket.gaierror', errno: -2, msg: 'Name or service not known' } });
});

test('bind rules in Linux order', () => {
  const me = deviceAddress(1, 1);
  assert.equal(formatIPv4(me), '10.1.0.2');
  assert.equal(checkBind(me, { ip: deviceAddress(1, 2), port: 80 }, [])?.errno, 99, 'not my address comes first');
  assert.equal(checkBind(me, { ip: me, port: 80 }, [])?.errno, 13);
  assert.equal(checkBind(me, { ip: me, port: 0 }, []), null);
  assert.equal(checkBind(me, { ip: LOOPBACK_IPV4 + 5, port: 5000 }, []), null, 'all of 127/8 is the device');
  assert.equal(checkBind(me, { ip: 0, port: 5000 }, [{ ip: LOOPBACK_IPV4, port: 5000 }])?.errno, 98);
  assert.equal(checkBind(me, { ip: me, port: 5000 }, [{ ip: LOOPBACK_IPV4, port: 5000 }]), null, 'different addresses');
});

test('SO_REUSEADDR: shared only when both set it and the other is not listening', () => {
  const a = { ip: 0, port: 5000 };
  assert.ok(claimsCollide(a, { ip: 0, port: 5000 }));
  assert.ok(!claimsCollide({ ...a, reuseAddr: true }, { ip: 0, port: 5000, reuseAddr: true }));
  assert.ok(claimsCollide({ ...a, reuseAddr: true }, { ip: 0, port: 5000, reuseAddr: true, listening: true }));
  assert.ok(claimsCollide({ ...a, reuseAddr: true }, { ip: 0, port: 5000 }));
});

test('connect targets: loopback and 0.0.0.0 are the device itself; lab addresses are devices', () => {
  const exists = (id: number) => id <= 2;
  assert.deepEqual(classifyConnectTarget(1, 2, 0, exists), { kind: 'device', deviceId: 2, targetIp: LOOPBACK_IPV4, sourceIp: LOOPBACK_IPV4 });
  assert.deepEqual(classifyConnectTarget(1, 2, deviceAddress(1, 1), exists), {
    kind: 'device',
    deviceId: 1,
    targetIp: deviceAddress(1, 1),
    sourceIp: deviceAddress(1, 2),
  });
  assert.equal(classifyConnectTarget(1, 2, deviceAddress(1, 3), exists).kind, 'outside');
  assert.equal(classifyConnectTarget(1, 2, deviceAddress(2, 1), exists).kind, 'outside', "another lab's address is not this lab's");
});
