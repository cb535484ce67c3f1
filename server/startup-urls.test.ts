import { test } from 'vitest';
import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import { reachableUrls } from './startup-urls.ts';

const iface = (address: string, family: 'IPv4' | 'IPv6', internal: boolean) =>
  ({ address, family, internal, netmask: '', mac: '', cidr: null }) as NetworkInterfaceInfo;

const INTERFACES = {
  lo: [iface('127.0.0.1', 'IPv4', true), iface('::1', 'IPv6', true)],
  eth0: [iface('192.168.5.20', 'IPv4', false), iface('fe80::1', 'IPv6', false)],
  wlan0: [iface('10.20.30.40', 'IPv4', false)],
};

test('on every interface: one URL per non-loopback IPv4 address', () => {
  assert.deepEqual(reachableUrls('0.0.0.0', 8080, INTERFACES), {
    local: 'http://127.0.0.1:8080/',
    network: ['http://192.168.5.20:8080/', 'http://10.20.30.40:8080/'],
  });
});

test('on one address: just that URL', () => {
  assert.deepEqual(reachableUrls('127.0.0.1', 8080, INTERFACES), { local: 'http://127.0.0.1:8080/', network: [] });
});
