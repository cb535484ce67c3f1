import { test } from 'vitest';
import assert from 'node:assert/strict';
import { Emitter } from './emitter.ts';

test('emit calls each listener with the value, in the order they were added', () => {
  const emitter = new Emitter<number>();
  const heard: string[] = [];
  emitter.on((n) => heard.push(`a${n}`));
  emitter.on((n) => heard.push(`b${n}`));
  emitter.emit(1);
  emitter.emit(2);
  assert.deepEqual(heard, ['a1', 'b1', 'a2', 'b2']);
  assert.equal(emitter.size, 2);
});

test('a disposer removes its listener only, and calling it twice does nothing more', () => {
  const emitter = new Emitter();
  const heard: string[] = [];
  const offA = emitter.on(() => heard.push('a'));
  emitter.on(() => heard.push('b'));
  offA();
  offA();
  emitter.emit();
  assert.deepEqual(heard, ['b']);
  assert.equal(emitter.size, 1);
});

test('the same function added twice is one listener', () => {
  const emitter = new Emitter();
  let calls = 0;
  const listener = () => calls++;
  emitter.on(listener);
  emitter.on(listener);
  emitter.emit();
  assert.equal(calls, 1);
});

test('during an emit: a listener added waits for the next one, a listener removed is not called', () => {
  const emitter = new Emitter();
  const heard: string[] = [];
  let offC = () => {};
  emitter.on(() => {
    heard.push('a');
    offC();
    emitter.on(() => heard.push('late'));
  });
  emitter.on(() => heard.push('b'));
  offC = emitter.on(() => heard.push('c'));
  emitter.emit();
  assert.deepEqual(heard, ['a', 'b']);
});

test('a listener may remove itself while it runs', () => {
  const emitter = new Emitter<string>();
  const heard: string[] = [];
  const off = emitter.on((s) => {
    heard.push(s);
    off();
  });
  emitter.emit('once');
  emitter.emit('twice');
  assert.deepEqual(heard, ['once']);
});

test('clear removes every listener', () => {
  const emitter = new Emitter<number>();
  const heard: number[] = [];
  const off = emitter.on((n) => heard.push(n));
  emitter.clear();
  emitter.emit(1);
  off();
  assert.deepEqual(heard, []);
  assert.equal(emitter.size, 0);
});
