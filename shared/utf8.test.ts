import { test } from 'vitest';
import assert from 'node:assert/strict';
import { runPython } from '../tests/support/python-oracle.ts';
import { Utf8StreamDecoder, utf8Decode, utf8DecodeLossy, utf8Encode } from './utf8.ts';


const toHex = (data: Uint8Array) => Buffer.from(data).toString('hex');
const fromHex = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex'));
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function makeRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// --- decode cases --------------------------------------------------------------------------
const decodeCases: Uint8Array[] = [];
for (let b = 0; b < 256; b++) decodeCases.push(Uint8Array.of(b));
for (let b = 0; b < 256; b++) decodeCases.push(Uint8Array.of(0x41, b, 0x42));
// Every lead byte >= 0x80 with boundary continuation bytes, whole and truncated.
const interesting = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xed, 0xff];
for (let lead = 0x80; lead < 0x100; lead++) {
  for (const b1 of interesting) {
    decodeCases.push(Uint8Array.of(lead, b1));
    for (const b2 of interesting) {
      decodeCases.push(Uint8Array.of(lead, b1, b2));
      for (const b3 of interesting) decodeCases.push(Uint8Array.of(0x7a, lead, b1, b2, b3, 0x7a));
    }
  }
}
const sampleText = 'héllo 中文 ✓ 😀 a\u0000\u07ff\u0800\uffff\u{10000}\u{10ffff}';
const sampleBytes = utf8(sampleText);
decodeCases.push(sampleBytes);
const random = makeRandom(12345);
for (let n = 0; n < 3000; n++) {
  // Start from valid text and corrupt it, so errors land near real multi-byte characters.
  const bytes = [...sampleBytes];
  const edits = 1 + Math.floor(random() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * bytes.length);
    const kind = random();
    if (kind < 0.4) bytes[at] = Math.floor(random() * 256);
    else if (kind < 0.7) bytes.splice(at, 1);
    else bytes.splice(at, 0, 0x80 + Math.floor(random() * 128));
  }
  decodeCases.push(Uint8Array.from(bytes.slice(Math.floor(random() * 4), bytes.length - Math.floor(random() * 4))));
}
for (let n = 0; n < 2000; n++) {
  const len = Math.floor(random() * 12);
  decodeCases.push(Uint8Array.from({ length: len }, () => (random() < 0.8 ? 0x80 + Math.floor(random() * 128) : Math.floor(random() * 128))));
}

// --- encode cases: lone surrogates in JS strings are Python surrogate code points ----------------
const encodeCases = [
  '', 'abc', sampleText, '\ud800', '\udfff', 'a\ud800b', '😀\ud800', '😀😀\udc00x', '\ud800\ud800',
  '\udc00\ud800', 'x\udc00\ud800\udc00', '\ud83d', '\ude00', '\ude00\ud83d', 'ab\udc00\udc01\udc02cd\ud800',
  '中\ud800\udbff\udc00', '\u{10ffff}\udbff',
];

// --- stream cases: chunk lists ---------------------------------------------------------------
const streamCases: Uint8Array[][] = [];
const streamInputs = [sampleBytes, ...decodeCases.filter((_, i) => i % 97 === 0)];
for (const whole of streamInputs) {
  for (let cut = 0; cut <= whole.length; cut++) streamCases.push([whole.slice(0, cut), whole.slice(cut)]);
  streamCases.push([...whole].map((b) => Uint8Array.of(b)));
}
// Chunk ends CPython treats specially: a surrogate's first two bytes wait for more data.
for (const chunks of [['eda0', '80'], ['ed', 'a080'], ['edbf', ''], ['f09f', '9880'], ['e080', '80'], ['f490', '8080']]) {
  streamCases.push(chunks.map(fromHex));
}

const PYTHON_ORACLE = String.raw`
import codecs, json, sys
cases = json.loads(sys.stdin.buffer.read())
def attempt(fn):
    try:
        return {'ok': fn()}
    except (UnicodeDecodeError, UnicodeEncodeError) as e:
        return {'err': type(e).__name__ + ': ' + str(e)}
out = {'decode': [], 'encode': [], 'stream': []}
for h in cases['decode']:
    data = bytes.fromhex(h)
    out['decode'].append([attempt(lambda: data.decode()), data.decode(errors='replace')])
for s in cases['encode']:
    out['encode'].append(attempt(lambda: s.encode().hex()))
for chunks in cases['stream']:
    dec = codecs.getincrementaldecoder('utf-8')(errors='replace')
    out['stream'].append([dec.decode(bytes.fromhex(c)) for c in chunks] + [dec.decode(b'', True)])
sys.stdout.write(json.dumps(out))
`;

const expected = runPython(PYTHON_ORACLE, {
  decode: decodeCases.map(toHex),
  encode: encodeCases,
  stream: streamCases.map((chunks) => chunks.map(toHex)),
});

function attempt(fn: () => string): { ok: string } | { err: string } {
  try {
    return { ok: fn() };
  } catch (error) {
    return { err: String(error) };
  }
}

test('utf8Decode and utf8DecodeLossy match bytes.decode() on every case', () => {
  assert.ok(decodeCases.length > 50000);
  decodeCases.forEach((data, i) => {
    const [strict, lossy] = expected.decode[i];
    assert.deepEqual(attempt(() => utf8Decode(data)), strict, `strict decode of ${toHex(data)}`);
    assert.equal(utf8DecodeLossy(data), lossy, `lossy decode of ${toHex(data)}`);
  });
});

test('known CPython messages', () => {
  assert.throws(() => utf8Decode(fromHex('ff')), {
    message: "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
  });
  assert.throws(() => utf8Decode(fromHex('e4b8')), {
    message: "UnicodeDecodeError: 'utf-8' codec can't decode bytes in position 0-1: unexpected end of data",
  });
  assert.throws(() => utf8Decode(fromHex('eda080')), {
    message: "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte",
  });
});

test('long input decodes (no argument-count overflow)', () => {
  const text = 'ab中😀'.repeat(100000);
  assert.equal(utf8Decode(utf8(text)), text);
});

test('utf8Encode matches str.encode(), including surrogate errors', () => {
  encodeCases.forEach((text, i) => {
    assert.deepEqual(attempt(() => toHex(utf8Encode(text))), expected.encode[i], `encode of ${JSON.stringify(text)}`);
  });
  assert.throws(() => utf8Encode('😀\ud800'), {
    message: "UnicodeEncodeError: 'utf-8' codec can't encode character '\\ud800' in position 1: surrogates not allowed",
  });
});

test('Utf8StreamDecoder matches Python incremental decoder chunk by chunk', () => {
  streamCases.forEach((chunks, i) => {
    const decoder = new Utf8StreamDecoder();
    const outputs = [...chunks.map((c) => decoder.push(c)), decoder.end()];
    assert.deepEqual(outputs, expected.stream[i], `chunks ${chunks.map(toHex).join('|')}`);
  });
});

test('Utf8StreamDecoder: every pair of split offsets joins to the one-shot lossy decode', () => {
  const whole = utf8('a中b😀c\u0800é');
  const oneShot = utf8DecodeLossy(whole);
  for (let first = 0; first <= whole.length; first++) {
    for (let second = first; second <= whole.length; second++) {
      const decoder = new Utf8StreamDecoder();
      const parts = [whole.slice(0, first), whole.slice(first, second), whole.slice(second)].map((c) => decoder.push(c));
      assert.equal(parts.join('') + decoder.end(), oneShot);
      assert.ok(!parts.join('').includes('\ufffd'), 'a split character must never show as U+FFFD');
    }
  }
});
