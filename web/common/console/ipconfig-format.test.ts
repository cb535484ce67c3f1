import { test } from 'vitest';
import assert from 'node:assert/strict';
import { formatIpconfig } from './ipconfig-format.ts';

test("ipconfig: lab address, loopback and lab code, lined up as Windows does", () => {
  assert.equal(
    formatIpconfig({ address: '10.1.0.2', lab: 'K7QX2M', device: 1 }),
    [
      '',
      'Socket Lab IP Configuration',
      '',
      'Lab adapter (lab K7QX2M, device 1):',
      '',
      '   IPv4 Address. . . . . . . . . . . : 10.1.0.2',
      '   Subnet Mask . . . . . . . . . . . : 255.255.255.0',
      '   Lab Code. . . . . . . . . . . . . : K7QX2M',
      '',
      'Loopback adapter (this device only):',
      '',
      '   IPv4 Address. . . . . . . . . . . : 127.0.0.1',
      '   Subnet Mask . . . . . . . . . . . : 255.0.0.0',
      '',
    ].join('\n'),
  );
});
