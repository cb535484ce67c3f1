import { test } from 'vitest';
import assert from 'node:assert/strict';
import { CLOSE_CODES } from '../../../shared/bridge-protocol.ts';
import { explainClose } from './close-reasons.ts';

test('a restart, a cut line and a server that does not answer are retried by the page', () => {
  for (const code of [CLOSE_CODES.GOING_AWAY, 1005, 1006, null]) {
    const explained = explainClose(code);
    assert.equal(explained.policy, 'auto', String(code));
    assert.equal(explained.what, 'the lab server went away');
  }
});

test('a lab that moved to another instance of a school, or a database that did not answer, is retried by the page, saying so', () => {
  assert.deepEqual(explainClose(CLOSE_CODES.SERVICE_RESTART), { what: 'the lab moved to another lab server', todo: 'reconnecting to it', policy: 'auto' });
  assert.equal(explainClose(CLOSE_CODES.TRY_AGAIN_LATER).policy, 'auto');
  assert.match(explainClose(CLOSE_CODES.TRY_AGAIN_LATER).what, /database/);
});

test('every other close code the server uses says why and is not retried by itself', () => {
  const policies = {
    [CLOSE_CODES.LAB_CLOSED]: 'never',
    [CLOSE_CODES.UNKNOWN_LAB]: 'never',
    [CLOSE_CODES.IDLE]: 'on-request',
    [CLOSE_CODES.POLICY]: 'reload',
    [CLOSE_CODES.TOO_MANY_ATTEMPTS]: 'on-request',
    [CLOSE_CODES.FULL]: 'on-request',
    [CLOSE_CODES.VERSION]: 'reload',
  };
  for (const [code, policy] of Object.entries(policies)) assert.equal(explainClose(Number(code)).policy, policy, code);
  assert.equal(explainClose(CLOSE_CODES.LAB_CLOSED).what, 'the teacher closed this lab');
  assert.match(explainClose(CLOSE_CODES.IDLE).what, /long time with nothing sent/);
  assert.match(explainClose(CLOSE_CODES.VERSION).todo, /reload the page/);
});

test('an unknown code gives the server\'s reason and waits for the student', () => {
  const explained = explainClose(1011, 'internal error');
  assert.equal(explained.policy, 'on-request');
  assert.equal(explained.what, 'the lab server closed the console (internal error)');
});
