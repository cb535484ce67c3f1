import { test } from 'vitest';
import assert from 'node:assert/strict';
import { runPython } from '../tests/support/python-oracle.ts';
import { pyAddrRepr, pyBytesRepr, pyStrRepr } from './py-repr.ts';


const toHex = (data: Uint8Array) => Buffer.from(data).toString('hex');
const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

const bytesCases: Uint8Array[] = [];
for (let b = 0; b < 256; b++) bytesCases.push(Uint8Array.of(b));
for (const text of ["it's", 'say "hi"', `both ' and "`, '', 'MOVE 5\n', 'a\\b', '\t\r\n\x00\x7f\x80\xff', "''", '"']) {
  bytesCases.push(ascii(text));
}
bytesCases.push(Uint8Array.from({ length: 256 }, (_, i) => i));

const strCases: string[] = [
  '', 'abc', "it's", 'say "hi"', `both ' and "`, 'a\\b', 'tab\there\nnew\rline', '\x00\x1f\x7f\x80\x9f\xa0\xad\xff',
  'héllo 中文 ✓ 😀', '\u2028\u2029\u200b\ufeff\u3000', '\ue000\uf8ff', '\ud800', 'x\udc00y', '\u{e0001}\u{f0000}\u{10ffff}',
  '\u{1f600}\u{1d400}\u{20000}', "'\"'", 'café\u0301', '\u0378\u0379',
];
// One string per BMP code point, and a broad astral sample, to pin down str.isprintable().
const singleCodePoints: number[] = [];
for (let cp = 0; cp < 0x10000; cp++) singleCodePoints.push(cp);
for (let cp = 0x10000; cp <= 0x10ffff; cp += cp < 0x30000 ? 7 : 4099) singleCodePoints.push(cp);

const PYTHON_ORACLE = String.raw`
import json, sys, unicodedata
cases = json.loads(sys.stdin.buffer.read())
out = {
  'bytes': [repr(bytes.fromhex(h)) for h in cases['bytes']],
  'str': [repr(s) for s in cases['str']],
  'single': [repr(chr(cp)) for cp in cases['single']],
  'category': [unicodedata.category(chr(cp)) for cp in cases['single']],
  'addr': [str(('127.0.0.1', 50831)), str(('::1', 8080, 0, 0)), str(("it's", 1))],
}
sys.stdout.write(json.dumps(out))
`;

const expected = runPython(PYTHON_ORACLE, {
  bytes: bytesCases.map(toHex),
  str: strCases,
  single: singleCodePoints,
});

test('pyBytesRepr matches repr(bytes) for all single bytes and quote mixes', () => {
  bytesCases.forEach((data, i) => assert.equal(pyBytesRepr(data), expected.bytes[i], toHex(data)));
  assert.equal(pyBytesRepr(ascii('8\nX')), "b'8\\nX'");
});

test('pyStrRepr matches repr(str) for mixed strings', () => {
  strCases.forEach((text, i) => assert.equal(pyStrRepr(text), expected.str[i], JSON.stringify(text)));
});

test('pyStrRepr matches repr(chr(cp)) for every BMP code point and an astral sample', () => {
  // Python 3.11 has Unicode 14 tables; V8's may be newer. A mismatch is tolerated only for
  // a character unassigned (Cn) in Python's tables, i.e. assigned by a later Unicode version.
  const versionDrift: string[] = [];
  singleCodePoints.forEach((cp, i) => {
    const actual = pyStrRepr(String.fromCodePoint(cp));
    if (actual === expected.single[i]) return;
    assert.equal(expected.category[i], 'Cn', `U+${cp.toString(16)}: got ${actual}, python ${expected.single[i]}`);
    versionDrift.push(cp.toString(16));
  });
  // SHOW_UNICODE_DRIFT=1 lists them (Node 20 with Unicode 17: 1017 in this sample, 86 of them in the BMP).
  if (process.env.SHOW_UNICODE_DRIFT) console.log(`${versionDrift.length} newer-Unicode code points:`, versionDrift.join(' '));
  assert.ok(versionDrift.length < 2000, `too many Unicode-version mismatches: ${versionDrift.length}`);
});

test('pyAddrRepr matches str() of an address tuple', () => {
  assert.equal(pyAddrRepr(['127.0.0.1', 50831]), expected.addr[0]);
  assert.equal(pyAddrRepr(['::1', 8080, 0, 0]), expected.addr[1]);
  assert.equal(pyAddrRepr(["it's", 1]), expected.addr[2]);
});
