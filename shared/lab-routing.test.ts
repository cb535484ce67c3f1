import { test } from 'vitest';
import assert from 'node:assert/strict';
import { labCodeOfReferer, labCodeOfTarget, withLabParam, workerOfLab } from './lab-routing.ts';

test('the lab code of every lab URL, upper-cased; none for the rest', () => {
  assert.equal(labCodeOfTarget('/lab/abc234'), 'ABC234');
  assert.equal(labCodeOfTarget('/lab/ABC234/?run=echo_server'), 'ABC234');
  assert.equal(labCodeOfTarget('/api/labs/ABC234'), 'ABC234');
  assert.equal(labCodeOfTarget('/api/labs/ABC234/netstat?device=k'), 'ABC234');
  assert.equal(labCodeOfTarget('/api/labs/ABC234/checks'), 'ABC234');
  assert.equal(labCodeOfTarget('/ws?lab=ABC234'), 'ABC234');
  assert.equal(labCodeOfTarget('/api/sync/tok_en?lab=ABC234'), 'ABC234');
  assert.equal(labCodeOfTarget('/api/sync/tok_en/ws?x=1&lab=abc234'), 'ABC234');
  for (const none of ['/', '/join?code=ABC234', '/teacher', '/api/labs', '/api/teacher/snapshot', '/assets/x.js', '/ws', '/api/sync/t', '/ws?lab=', '/ws?lab=A%2FB', '/lab/', '/lab/A-B', '/ws?lab=%E0%A4%A']) {
    assert.equal(labCodeOfTarget(none), null, none);
  }
});

test('the lab of the page that asked, from its Referer', () => {
  assert.equal(labCodeOfReferer('http://127.0.0.1:8080/lab/ABC234'), 'ABC234');
  assert.equal(labCodeOfReferer('https://lab.school.example/lab/abc234?open=a.py'), 'ABC234');
  assert.equal(labCodeOfReferer('http://127.0.0.1:8080/'), null);
  assert.equal(labCodeOfReferer('http://127.0.0.1:8080/teacher?token=x'), null);
  assert.equal(labCodeOfReferer(undefined), null);
  assert.equal(labCodeOfReferer('not a url'), null);
});

test('?lab= is added to a URL with or without a query', () => {
  assert.equal(withLabParam('/ws', 'ABC234'), '/ws?lab=ABC234');
  assert.equal(withLabParam('ws://h:1/ws', 'ABC234'), 'ws://h:1/ws?lab=ABC234');
  assert.equal(withLabParam('/api/sync/t?x=1', 'ABC234'), '/api/sync/t?x=1&lab=ABC234');
  assert.equal(labCodeOfTarget(withLabParam('/api/sync/t', 'ABC234')), 'ABC234');
});

test('a lab belongs to one worker, the same for its code in any case, spread over all of them', () => {
  assert.equal(workerOfLab('ABC234', 1), 0);
  assert.equal(workerOfLab('abc234', 4), workerOfLab('ABC234', 4));
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  for (const workers of [2, 3, 8]) {
    const counts = new Array<number>(workers).fill(0);
    for (let i = 0; i < 3000; i++) {
      let c = '';
      for (let j = 0; j < 6; j++) c += alphabet[(i * 7 + j * 13 + ((i * j) % 11)) % alphabet.length];
      const w = workerOfLab(c, workers);
      assert.ok(w >= 0 && w < workers);
      counts[w]!++;
    }
    for (const n of counts) assert.ok(n > 3000 / workers / 2, `an even spread over ${workers}: ${counts.join(',')}`);
  }
  assert.throws(() => workerOfLab('ABC234', 0), RangeError);
});
