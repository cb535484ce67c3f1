import { test } from 'vitest';
import assert from 'node:assert/strict';
import { parseThemeChoice, resolveTheme } from './page-theme.ts';

test('a stored choice is light, dark or (anything else) system', () => {
  assert.equal(parseThemeChoice('light'), 'light');
  assert.equal(parseThemeChoice('dark'), 'dark');
  assert.equal(parseThemeChoice(null), 'system');
  assert.equal(parseThemeChoice('purple'), 'system');
});

test('system follows the system; light and dark do not', () => {
  assert.equal(resolveTheme('system', true), 'dark');
  assert.equal(resolveTheme('system', false), 'light');
  assert.equal(resolveTheme('light', true), 'light');
  assert.equal(resolveTheme('dark', false), 'dark');
});
