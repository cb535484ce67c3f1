import { test } from 'vitest';
import assert from 'node:assert/strict';
import { decodeLabEvent, encodeLabEvent, EventTooLargeError, NOTIFY_PAYLOAD_LIMIT_BYTES, type LabEvent } from './lab-events.ts';

test('every kind of event comes back as it went', () => {
  const events: LabEvent[] = [
    { type: 'lab-created', lab: 'ABC234', instance: 'lab1' },
    { type: 'lab-removed', lab: 'ABC234', instance: 'lab1' },
    { type: 'lab-claimed', lab: 'ABC234', instance: 'lab2' },
    { type: 'device-joined', lab: 'ABC234', instance: 'lab1', device: 2 },
    { type: 'device-left', lab: 'ABC234', instance: 'lab1', device: 2 },
    { type: 'check-saved', lab: 'ABC234', instance: 'lab1', device: 2, question: 10 },
    { type: 'reveal-switched', lab: null, instance: 'lab2', on: true },
  ];
  for (const event of events) assert.deepEqual(decodeLabEvent(encodeLabEvent(event)), event);
});

test('what is not an event of this version is ignored, not guessed at', () => {
  for (const payload of ['', 'not json', 'null', '[]', '{"type":"lab-created","lab":"A"}', '{"type":"lab-exploded","lab":"A","instance":"i"}',
    '{"type":"device-joined","lab":"A","instance":"i"}', '{"type":"check-saved","lab":"A","instance":"i","device":1}', '{"type":"reveal-switched","lab":null,"instance":"i"}']) {
    assert.equal(decodeLabEvent(payload), null, payload);
  }
});

test("an event that would not fit NOTIFY's payload is refused before it is sent, counted in UTF-8 bytes", () => {
  const base = encodeLabEvent({ type: 'lab-created', lab: 'ABC234', instance: '' }).length;
  const fits = { type: 'lab-created', lab: 'ABC234', instance: 'x'.repeat(NOTIFY_PAYLOAD_LIMIT_BYTES - 1 - base) } as const;
  assert.equal(encodeLabEvent(fits).length, NOTIFY_PAYLOAD_LIMIT_BYTES - 1);
  assert.throws(() => encodeLabEvent({ ...fits, instance: `${fits.instance}x` }), EventTooLargeError);
  // 3 bytes each in UTF-8: a third as many characters reach the limit.
  const wide = '\u4e2d'.repeat(Math.ceil((NOTIFY_PAYLOAD_LIMIT_BYTES - base) / 3));
  assert.ok(wide.length < NOTIFY_PAYLOAD_LIMIT_BYTES - base);
  assert.throws(() => encodeLabEvent({ type: 'lab-created', lab: 'ABC234', instance: wide }), /bytes; NOTIFY takes under 8000/);
});
