// withWasmModule with Node's own WebAssembly and a real (tiny) module: without a module from
// the page, instantiateStreaming compiles as always and the module compiled is handed on; with
// one, the page's module is instantiated with the imports given, the response unread; either
// way the original instantiateStreaming is back afterwards.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { withWasmModule } from './shared-wasm-module.ts';

/** (module (import "env" "seven" (func $seven (result i32))) (func (export "answer") (result i32) call $seven)) */
const WASM = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x02, 0x0d, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x05, 0x73, 0x65,
  0x76, 0x65, 0x6e, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x07, 0x0a, 0x01, 0x06, 0x61, 0x6e, 0x73, 0x77, 0x65, 0x72, 0x00, 0x01, 0x0a, 0x06, 0x01, 0x04,
  0x00, 0x10, 0x00, 0x0b,
]);

const wasmResponse = () => new Response(WASM, { headers: { 'content-type': 'application/wasm' } });

function answerOf(instance: WebAssembly.Instance): number {
  return (instance.exports.answer as () => number)();
}

test('without a module from the page, Pyodide compiles as always and the compiled module is handed on', async () => {
  const original = WebAssembly.instantiateStreaming;
  const compiled: WebAssembly.Module[] = [];
  const result = await withWasmModule(null, (m) => compiled.push(m), () => WebAssembly.instantiateStreaming(wasmResponse(), { env: { seven: () => 7 } }));
  assert.equal(answerOf(result.instance), 7);
  assert.deepEqual(compiled, [result.module]);
  assert.equal(WebAssembly.instantiateStreaming, original);
});

test("with the page's module, that module is instantiated with the imports given and nothing is compiled", async () => {
  const given = await WebAssembly.compile(WASM);
  const compiled: WebAssembly.Module[] = [];
  const response = wasmResponse();
  const result = await withWasmModule(given, (m) => compiled.push(m), () => WebAssembly.instantiateStreaming(response, { env: { seven: () => 8 } }));
  assert.equal(result.module, given);
  assert.equal(answerOf(result.instance), 8, "this worker's own imports");
  assert.deepEqual(compiled, []);
});

test('the original instantiateStreaming is back even when the load fails', async () => {
  const original = WebAssembly.instantiateStreaming;
  await assert.rejects(withWasmModule(null, () => undefined, async () => {
    throw new Error('Pyodide failed');
  }), /Pyodide failed/);
  assert.equal(WebAssembly.instantiateStreaming, original);
});
