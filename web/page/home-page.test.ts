import { test } from 'vitest';
import assert from 'node:assert/strict';
import { labCodeProblem, normalizeLabCode } from './home-page.ts';

test('a typed code is upper-cased, spaces and dashes dropped', () => {
  assert.equal(normalizeLabCode(' k7q-x2m '), 'K7QX2M');
  assert.equal(normalizeLabCode('abc 234'), 'ABC234');
});

test('a lab code is 6 characters of the registry alphabet', () => {
  assert.equal(labCodeProblem('K7QX2M'), null);
  assert.match(labCodeProblem('')!, /Type the lab code/);
  assert.match(labCodeProblem('K7QX2')!, /"K7QX2" is not a lab code/);
  assert.match(labCodeProblem('K7QX2MM')!, /not a lab code/);
  assert.match(labCodeProblem('K7QX20')!, /not a lab code/, '0 is not in the alphabet');
  assert.match(labCodeProblem('K7QXIM')!, /not a lab code/, 'I is not in the alphabet');
});
