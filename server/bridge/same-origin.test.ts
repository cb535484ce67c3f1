import { test } from 'vitest';
import assert from 'node:assert/strict';
import { isSameOrigin } from './same-origin.ts';

test('the own origin, however the host was typed, is the same origin', () => {
  assert.equal(isSameOrigin('http://192.168.1.20:8080', '192.168.1.20:8080'), true);
  assert.equal(isSameOrigin('http://Lab.Example:8080', 'lab.example:8080'), true);
  assert.equal(isSameOrigin('http://lab.example:80', 'lab.example'), true);
  // No Origin: not a browser.
  assert.equal(isSameOrigin(undefined, 'lab.example'), true);
});

test('another site, another port, null and anything that is not an origin are refused', () => {
  for (const origin of ['http://evil.example', 'http://lab.example:8081', 'null', 'file:///x', 'http://lab.example/page', 'http://u@lab.example', 'not a url']) {
    assert.equal(isSameOrigin(origin, 'lab.example'), false, origin);
  }
  assert.equal(isSameOrigin('http://lab.example', undefined), false);
  assert.equal(isSameOrigin('http://lab.example', 'lab.example/x'), false);
});
