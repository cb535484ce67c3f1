// The options of an instance among several: its name, and the proxy in front it believes.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { parseConfig } from './config.ts';

test('--instance-name names the instance; the host name by default', () => {
  assert.equal(parseConfig(['--instance-name', 'lab-2.school'], {}, null).config.instanceName, 'lab-2.school');
  assert.equal(parseConfig([], { SOCKET_LAB_INSTANCE: 'a1' }, null).config.instanceName, 'a1');
  assert.match(parseConfig([], {}, null).config.instanceName, /^[A-Za-z0-9._-]+$/);
  assert.throws(() => parseConfig(['--instance-name', 'two words'], {}, null), /--instance-name: use only/);
  assert.throws(() => parseConfig(['--instance-name', 'x'.repeat(65)], {}, null), /at most 64/);
});

test('--trust-proxy takes addresses, networks and loopback; none by default', () => {
  assert.deepEqual(parseConfig([], {}, null).config.trustProxy, []);
  assert.deepEqual(parseConfig(['--trust-proxy', '10.0.0.5', '--trust-proxy', '192.168.0.0/16'], {}, null).config.trustProxy, ['10.0.0.5', '192.168.0.0/16']);
  assert.deepEqual(parseConfig([], { TRUST_PROXY: 'loopback,10.1.2.3' }, null).config.trustProxy, ['loopback', '10.1.2.3']);
  for (const bad of ['haproxy.school', '10.0.0.0/33', '300.1.1.1', '*']) {
    assert.throws(() => parseConfig(['--trust-proxy', bad], {}, null), /--trust-proxy: .* is not an IPv4 address, a network/, bad);
  }
});
