import { test } from 'vitest';
import assert from 'node:assert/strict';
import { CLASS_SLUG_PATTERN, classNameKey, classNameProblem, classSlug, MAX_CLASS_NAME_CHARS, MAX_CLASS_SLUG_CHARS, tidyClassName } from './class-name.ts';

const none = () => false;

test('a name is tidied: ends trimmed, runs of white space one space', () => {
  assert.equal(tidyClassName('  10B \t Networks \n'), '10B Networks');
});

test('empty, over-long and control-character names are refused with a reason; others pass', () => {
  assert.match(classNameProblem('')!, /Give the class a name/);
  assert.match(classNameProblem('x'.repeat(MAX_CLASS_NAME_CHARS + 1))!, /at most 60 characters; this one has 61/);
  assert.equal(classNameProblem('x'.repeat(MAX_CLASS_NAME_CHARS)), null);
  // Code points, not UTF-16 units: 60 emoji are 60 characters.
  assert.equal(classNameProblem('🐍'.repeat(MAX_CLASS_NAME_CHARS)), null);
  assert.match(classNameProblem('a\u0007b')!, /control characters/);
  assert.equal(classNameProblem('Année 10 – Réseaux'), null);
});

test('names differing only in case, spacing or Unicode form are the same class', () => {
  assert.equal(classNameKey('10b  networks'), classNameKey(' 10B Networks'));
  assert.equal(classNameKey('Ａ'), classNameKey('a'));
  assert.notEqual(classNameKey('10B'), classNameKey('10C'));
});

test('slugs are lower-case ASCII with dashes, from the name', () => {
  assert.equal(classSlug('10B Networks', none), '10b-networks');
  assert.equal(classSlug('Année 10 – Réseaux', none), 'annee-10-reseaux');
  assert.equal(classSlug("  Mr. O'Brien's class!! ", none), 'mr-o-brien-s-class');
  assert.equal(classSlug('日本語', none), 'class');
  for (const name of ['10B Networks', '日本語', '--a--', 'x'.repeat(100)]) assert.match(classSlug(name, none), CLASS_SLUG_PATTERN);
  assert.equal(classSlug('x'.repeat(100), none).length, MAX_CLASS_SLUG_CHARS);
});

test('a slug already taken gets -2, -3, ... and stays within the length', () => {
  const taken = new Set(['10b', '10b-2']);
  assert.equal(classSlug('10B', (s) => taken.has(s)), '10b-3');
  const long = 'y'.repeat(MAX_CLASS_SLUG_CHARS);
  const slug = classSlug(long, (s) => s === long);
  assert.equal(slug, `${'y'.repeat(MAX_CLASS_SLUG_CHARS - 2)}-2`);
  assert.match(slug, CLASS_SLUG_PATTERN);
});
