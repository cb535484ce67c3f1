import { test } from 'vitest';
import assert from 'node:assert/strict';
import { parseClientMessage, parseServerMessage, ProtocolError } from './bridge-protocol.ts';

function code(text: string): string {
  try {
    parseClientMessage(text);
    return 'accepted';
  } catch (err) {
    assert.ok(err instanceof ProtocolError);
    return err.code;
  }
}

test('well-formed messages parse to exactly their fields', () => {
  assert.deepEqual(parseClientMessage('{"t":"hello","v":1,"lab":"ABC","device":"k","extra":1}'), {
    t: 'hello',
    v: 1,
    lab: 'ABC',
    device: 'k',
  });
  assert.deepEqual(parseClientMessage('{"t":"call","id":7,"op":"connect","sock":3,"host":"127.0.0.1","port":12345}'), {
    t: 'call',
    id: 7,
    op: 'connect',
    sock: 3,
    host: '127.0.0.1',
    port: 12345,
    timeoutMs: null,
  });
  assert.deepEqual(parseClientMessage('{"t":"credit","sock":3,"bytes":10}'), { t: 'credit', sock: 3, bytes: 10 });
});

test('ports are taken as any integer, so CPython range errors come from the socket layer', () => {
  assert.equal(code('{"t":"call","id":1,"op":"bind","sock":1,"host":"","port":70000}'), 'accepted');
  assert.equal(code('{"t":"call","id":1,"op":"bind","sock":1,"host":"","port":1.5}'), 'bad-field');
});

test('malformed messages are refused with a code', () => {
  assert.equal(code('{'), 'bad-json');
  assert.equal(code('null'), 'bad-message');
  assert.equal(code('{"t":"call","id":1,"op":"spawn","name":"x","argv":"no"}'), 'bad-field');
  assert.equal(code('{"t":"call","id":1,"op":"spawn","name":"x","argv":[1]}'), 'bad-field');
  assert.equal(code('{"t":"call","id":-1,"op":"ps"}'), 'bad-field');
  assert.equal(code('{"t":"call","id":1,"op":"accept","sock":1,"timeoutMs":-1}'), 'bad-field');
  assert.equal(code('{"t":"call","id":1}'), 'unknown-op');
  assert.equal(code(' '.repeat(20_000)), 'too-large');
});

test('the page checks server messages field by field', () => {
  const welcome = '{"t":"welcome","v":1,"lab":"ABC","device":{"id":1,"address":"10.1.0.2"},"pid":1000,"console":1,"revealAnswers":false}';
  assert.equal(parseServerMessage(welcome).t, 'welcome');
  assert.deepEqual(parseServerMessage('{"t":"result","id":3,"err":{"type":"OSError","errno":98,"msg":"Address already in use"}}'), {
    t: 'result',
    id: 3,
    err: { type: 'OSError', errno: 98, msg: 'Address already in use' },
  });
  for (const bad of [
    '{"t":"result","id":3}',
    '{"t":"result","id":3,"err":"boom"}',
    '{"t":"sent","sock":0,"bytes":1}',
    '{"t":"broken","sock":1}',
    '{"t":"welcome","v":1}',
    '{"t":"surprise"}',
  ]) {
    assert.throws(() => parseServerMessage(bad), ProtocolError, bad);
  }
});
