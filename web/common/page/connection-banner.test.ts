import { test } from 'vitest';
import assert from 'node:assert/strict';
import { CLOSE_CODES } from '../../../shared/bridge-protocol.ts';
import { explainClose } from '../bridge/close-reasons.ts';
import { connectionBanner, RECONNECTING_TEXT } from './connection-banner.ts';

test('no banner while every console is connected', () => {
  assert.equal(connectionBanner([]), null);
});

test('a console retrying by itself means the server went away, whatever the others say', () => {
  const view = connectionBanner([explainClose(CLOSE_CODES.IDLE), explainClose(CLOSE_CODES.GOING_AWAY)]);
  assert.deepEqual(view, { kind: 'reconnecting', text: RECONNECTING_TEXT, action: null });
  assert.match(RECONNECTING_TEXT, /^The lab server went away — reconnecting…/);
});

test('otherwise the gravest reason, with the button that helps', () => {
  assert.deepEqual(connectionBanner([explainClose(CLOSE_CODES.IDLE), explainClose(CLOSE_CODES.LAB_CLOSED)]), {
    kind: 'disconnected',
    text: 'The teacher closed this lab. Start a new lab or join another one from the home page.',
    action: 'home',
  });
  assert.equal(connectionBanner([explainClose(CLOSE_CODES.VERSION)])!.action, 'reload');
  const idle = connectionBanner([explainClose(CLOSE_CODES.IDLE)])!;
  assert.equal(idle.action, 'reconnect');
  assert.equal(idle.text, 'The console was closed after a long time with nothing sent. Press Enter in the console or the Reconnect button to reconnect.');
});
