import { test } from 'vitest';
import assert from 'node:assert/strict';
import { runPython } from '../tests/support/python-oracle.ts';
import { pyInt } from './py-int.ts';


const latin1 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
const toHex = (data: Uint8Array) => Buffer.from(data).toString('hex');

const strCases = [
  '12', ' 7\n', '+3', '-0', '+0', '1_000', '1__0', '_1', '1_', '', ' ', 'abc', '٣', '3.0', '007', '-12', '- 1', '+-1',
  '1 2', '\t\v\f\r 42 \n', '\x1c5', '5\x00', '\u180e5', '\u00b2', '１２', '\u3000 9\u2029', '\x855\xa0', '𝟙𝟚', '٣_٤',
  "it's", 'say "x"', 'é', '\ud800', '9007199254740993', '-9007199254740993', '1' + '0'.repeat(30), '-' + '9'.repeat(400),
  '1'.repeat(4300), '1'.repeat(4301), '1'.repeat(5000) + 'x', '1'.repeat(5000) + '__1', '1'.repeat(5000) + '_',
  'x'.repeat(300), 'é'.repeat(300), "'".repeat(250), '0x10', '1e3', '∞', 'MOVE 5', '٠١٢٣٤٥٦٧٨٩', '߀߉', '꧐꧙',
];
const bytesCases = [
  '8\n', 'MOVE', '12', ' -3 ', '1_0', '\xa05', '\x85', '\xff', '5\x00', 'x'.repeat(300), '8\nX', '1'.repeat(4301), '',
].map(latin1);

// One code point c at a time: int('1' + c + '1') shows c as a digit, int(c + '2') as a space.
const codePoints: number[] = [];
for (let cp = 0; cp < 0x10000; cp++) codePoints.push(cp);
for (let cp = 0x10000; cp < 0x20000; cp += 3) codePoints.push(cp);

const PYTHON_ORACLE = String.raw`
import json, sys, unicodedata
cases = json.loads(sys.stdin.buffer.read())
def attempt(fn):
    try:
        value = fn()
        return {'ok': str(value)}
    except ValueError as e:
        return {'err': 'ValueError: ' + str(e)}
def value_or_none(text):
    try:
        return int(text)
    except ValueError:
        return None
out = {
  'str': [attempt(lambda: int(s)) for s in cases['str']],
  'bytes': [attempt(lambda: int(bytes.fromhex(h))) for h in cases['bytes']],
  'digit': [value_or_none('1' + chr(cp) + '1') for cp in cases['codePoints']],
  'space': [value_or_none(chr(cp) + '2') for cp in cases['codePoints']],
  'category': [unicodedata.category(chr(cp)) for cp in cases['codePoints']],
}
sys.stdout.write(json.dumps(out))
`;

const expected = runPython(PYTHON_ORACLE, { str: strCases, bytes: bytesCases.map(toHex), codePoints });

/** Python's answer as a JS number is only exact up to 2**53; compare the rounded value. */
function attempt(fn: () => number): { ok: number } | { err: string } {
  try {
    return { ok: fn() };
  } catch (error) {
    return { err: String(error) };
  }
}
function fromPython(result: { ok: string } | { err: string }): { ok: number } | { err: string } {
  return 'ok' in result ? { ok: Number(result.ok) } : result;
}

test('pyInt(str) matches int(str): values and exact ValueError messages', () => {
  strCases.forEach((text, i) => {
    assert.deepEqual(attempt(() => pyInt(text)), fromPython(expected.str[i]), JSON.stringify(text).slice(0, 80));
  });
});

test('pyInt(bytes) matches int(bytes)', () => {
  bytesCases.forEach((data, i) => {
    assert.deepEqual(attempt(() => pyInt(data)), fromPython(expected.bytes[i]), toHex(data).slice(0, 80));
  });
  assert.throws(() => pyInt(latin1('8\nX')), { message: "ValueError: invalid literal for int() with base 10: b'8\\nX'" });
});

test('pyInt agrees with Python on which characters are digits and spaces', () => {
  // V8's Unicode tables are newer than Python 3.11's (Unicode 14): digits assigned since,
  // such as Garay U+10D40..10D49, are accepted here. Tolerated only where Python says Cn.
  codePoints.forEach((cp, i) => {
    if (expected.category[i] === 'Cn') return;
    const c = String.fromCodePoint(cp);
    const digit = attempt(() => pyInt('1' + c + '1'));
    const space = attempt(() => pyInt(c + '2'));
    const label = `U+${cp.toString(16)}`;
    assert.deepEqual('ok' in digit ? digit.ok : null, expected.digit[i], `${label} as a digit`);
    assert.deepEqual('ok' in space ? space.ok : null, expected.space[i], `${label} as a space`);
  });
});

test('huge values keep sign and magnitude', () => {
  assert.ok(pyInt('9'.repeat(30)) > 9);
  assert.ok(pyInt('-' + '9'.repeat(400)) < 1);
  assert.equal(pyInt('-9'.padEnd(400, '9')), -Infinity);
  assert.ok(Object.is(pyInt('-0'), 0));
});
