import assert from 'node:assert/strict';
import { test } from 'vitest';
import { asciiBytes } from '../../../shared/bytes.ts';
import { pyInt } from '../../../shared/py-int.ts';
import { pyIntStr } from './py-int-str.ts';

/** str(int(source)), as CPython 3.11 prints it. */
const CASES: [string | Uint8Array, string][] = [
  ['42', '42'],
  [' -0 ', '0'],
  ['+007', '7'],
  ['9007199254740993', '9007199254740993'],
  ['99999999999999999999', '99999999999999999999'],
  ['-1_000_000_000_000_000_000_000', '-1000000000000000000000'],
  ['\u0663', '3'],
  ['\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667', '12345678901234567'],
  ['\u{1D7D9}\u{1D7E2}'.repeat(10), '10'.repeat(10)], // mathematical digits (double-struck 1, sans-serif 0)
  ['1'.repeat(400), '1'.repeat(400)],
  [asciiBytes('  00123456789012345678901 \n'), '123456789012345678901'],
  [asciiBytes('5\n'), '5'],
];

test('pyIntStr gives str(int(x)) exactly, also past 2**53', () => {
  for (const [source, expected] of CASES) {
    assert.equal(pyIntStr(pyInt(source), source), expected, String(source));
  }
});
