import { test } from 'vitest';
import assert from 'node:assert/strict';
import { MAX_SHOWN_BYTES_PER_ENTRY } from '../../../shared/wire-log.ts';
import { WireRecorder, type WireEvent } from './wire-recorder.ts';

const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

test("a Python program's calls as wire events: addresses on connect and accept, each recv chunk, b'' once", () => {
  const events: WireEvent[] = [];
  const wire = new WireRecorder((e) => events.push(e), '10.1.0.2');
  wire.called({ op: 'bind', sock: 1, host: '0.0.0.0', port: 12345 }, null);
  wire.called({ op: 'accept', sock: 1, timeoutMs: null }, { sock: 2, fd: 4, addr: ['10.1.0.3', 40112] });
  wire.called({ op: 'connect', sock: 3, host: '127.0.0.1', port: 12345, timeoutMs: null }, { local: ['127.0.0.1', 50000] });
  wire.received(2, ascii('Hello fr'));
  wire.received(2, ascii('om server\n'));
  wire.received(2, new Uint8Array(0));
  wire.received(2, new Uint8Array(0));
  wire.sent(3, new Uint8Array(1000));
  wire.called({ op: 'setsockopt', sock: 3, level: 6, name: 1, value: 5 }, null);
  wire.called({ op: 'setsockopt', sock: 3, level: 1, name: 2, value: 1 }, null);
  wire.called({ op: 'close', sock: 2 }, null);
  assert.deepEqual(events.map((e) => [e.sock, e.direction, e.note ?? (e.bytes ? Buffer.from(e.bytes).toString('latin1') : '')]), [
    [2, 'accept', 'from 10.1.0.3:40112'],
    [3, 'connect', 'to 127.0.0.1:12345'],
    [2, 'recv', 'Hello fr'],
    [2, 'recv', 'om server\n'],
    [2, 'recv', ''],
    [3, 'send', '\0'.repeat(MAX_SHOWN_BYTES_PER_ENTRY)],
    [3, 'option', 'TCP_NODELAY=1 (Nagle off)'],
    [2, 'close', ''],
  ]);
  assert.deepEqual(events[0]!.local, ['10.1.0.2', 12345]);
  assert.deepEqual(events[1]!.local, ['127.0.0.1', 50000]);
  assert.equal(events[5]!.length, 1000);
});
