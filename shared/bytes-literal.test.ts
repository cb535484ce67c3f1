import { test } from 'vitest';
import assert from 'node:assert/strict';
import { runPython } from '../tests/support/python-oracle.ts';
import { parseBytesLiteral } from './bytes-literal.ts';
import { pyBytesRepr } from './py-repr.ts';

// Every case goes through CPython's eval() (warnings as errors: an unknown escape is refused
// here, see bytes-literal.ts) and through parseBytesLiteral; bytes and errors must agree.
const CASES = [
  "b'\\xe4\\xb8\\xad'",
  "b'Hello from server\\n'",
  "b''",
  'B"it\'s"',
  "b'''a'b'''",
  'b"""x\\ny"""',
  "b'\\0'",
  "b'\\012\\0123\\1'",
  "b'\\377'",
  "b'\\a\\b\\f\\v\\t\\r\\\\\\'\\\"'",
  "rb'\\x41'",
  "Rb'\\''",
  "bR'a\\\\b'",
  "b'\\\nb'",
  '  b"spaces around"  ',
  "b'\\xZZ'",
  "b'ab\\x4'",
  "b'\\x4g'",
  "b'中'",
  "b'abc",
  "b'''abc",
  "b'abc'd",
  "b'\\777'",
  "b'\\q'",
  "b'\\N{DASH}'",
  "b'\\u4e2d'",
  "b'\\'",
  "b'a\nb'",
  "'abc'",
  'x',
  "u'abc'",
];

const ORACLE = String.raw`
import json, sys, warnings
warnings.simplefilter('error')
out = []
for source in json.load(sys.stdin):
    try:
        value = eval(source.strip())
        out.append({'ok': list(value)} if isinstance(value, bytes) else {'notBytes': True})
    except SyntaxError as e:
        out.append({'error': 'SyntaxError: ' + e.msg})
    except Exception:
        out.append({'notBytes': True})  # a name, say: not a literal at all
print(json.dumps(out))
`;

test('parseBytesLiteral reads what CPython reads and refuses what it refuses, with its message', () => {
  const expected: ({ ok: number[] } | { error: string } | { notBytes: true })[] = runPython(ORACLE, CASES);
  CASES.forEach((source, i) => {
    const want = expected[i]!;
    const got = parseBytesLiteral(source);
    if ('ok' in want) {
      assert.ok(got.ok, `${JSON.stringify(source)}: ${got.ok ? '' : got.error}`);
      assert.deepEqual([...got.bytes], want.ok, JSON.stringify(source));
    } else if ('error' in want) {
      assert.deepEqual(got, { ok: false, error: want.error }, JSON.stringify(source));
    } else {
      // A str literal, or no literal at all: not something we read as bytes.
      assert.equal(got.ok, false, JSON.stringify(source));
    }
  });
});

test('what pyBytesRepr prints reads back to the same bytes', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const back = parseBytesLiteral(pyBytesRepr(all));
  assert.ok(back.ok);
  assert.deepEqual([...back.bytes], [...all]);
  assert.deepEqual(parseBytesLiteral("b'\\xe4\\xb8\\xad'"), { ok: true, bytes: Uint8Array.of(0xe4, 0xb8, 0xad) });
});

test('no prefix, or a str literal, says to write b and a quote', () => {
  const result = parseBytesLiteral("'abc'");
  assert.equal(result.ok, false);
  assert.match(!result.ok ? result.error : '', /^SyntaxError: a bytes literal starts with b and a quote/);
});
