import { test } from 'vitest';
import assert from 'node:assert/strict';
import { runPython } from '../../../tests/support/python-oracle.ts';
import { codePointLabel, decodeLiteral, encodeText } from './encoding-convert.ts';

test('中 is U+4E2D, one code point, and three UTF-8 bytes', () => {
  const view = encodeText('中');
  assert.ok(view.ok);
  assert.equal(view.strRepr, "'中'");
  assert.equal(view.length, 1);
  assert.deepEqual(view.codePoints, [{ char: '中', codePoint: 'U+4E2D', bytes: "b'\\xe4\\xb8\\xad'" }]);
  assert.equal(view.bytesLiteral, "b'\\xe4\\xb8\\xad'");
  assert.equal(view.byteLength, 3);
  assert.equal(codePointLabel(0x41), 'U+0041');
  assert.equal(codePointLabel(0x1f600), 'U+1F600');
});

test('text, len, encode() and decode() agree with CPython', () => {
  const texts = ['中', 'Hello from server\n', "it's", 'héllo 😀', 'a\tb\u0000', ''];
  const literals = ["b'\\xe4\\xb8\\xad'", "b'Hello'", "b'\\xe4\\xb8'", "b'\\xff'", "b'\\xc3\\xa9\\xe4'", "b'\\xZZ'", "b'中'"];
  const expected = runPython(
    String.raw`
import json, sys
data = json.load(sys.stdin)
def decode(source):
    try:
        return {'ok': True, 'text': eval(source).decode()}
    except SyntaxError as e:
        return {'ok': False, 'error': 'SyntaxError: ' + e.msg}
    except UnicodeDecodeError as e:
        return {'ok': False, 'error': 'UnicodeDecodeError: ' + str(e)}
print(json.dumps({
    'texts': [[repr(t), len(t), repr(t.encode()), len(t.encode())] for t in data['texts']],
    'literals': [decode(s) for s in data['literals']],
}))
`,
    { texts, literals },
  );
  texts.forEach((text, i) => {
    const view = encodeText(text);
    assert.ok(view.ok);
    assert.deepEqual([view.strRepr, view.length, view.bytesLiteral, view.byteLength], expected.texts[i], JSON.stringify(text));
  });
  literals.forEach((source, i) => {
    const got = decodeLiteral(source);
    const want = expected.literals[i];
    if (want.ok) assert.deepEqual(got, { ok: true, text: want.text, byteLength: got.ok ? got.byteLength : -1 }, source);
    else assert.deepEqual(got, want, source);
  });
});

test('a lone surrogate cannot be encoded, as in Python', () => {
  const view = encodeText('\ud800');
  assert.equal(view.ok, false);
  assert.match(!view.ok ? view.error : '', /^UnicodeEncodeError: 'utf-8' codec can't encode character '\\ud800'/);
});
