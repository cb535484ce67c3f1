import { test } from 'vitest';
import assert from 'node:assert/strict';
import { DARK_THEME, LIGHT_THEME, MIN_TEXT_CONTRAST, pickTheme } from './console-theme.ts';
import { contrastRatio } from '../common/console/contrast.ts';

const TEXT_COLOURS = [
  'foreground', 'black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white',
  'brightBlack', 'brightRed', 'brightGreen', 'brightYellow', 'brightBlue', 'brightMagenta', 'brightCyan', 'brightWhite',
] as const;

for (const [name, theme] of [['light', LIGHT_THEME], ['dark', DARK_THEME]] as const) {
  test(`${name} theme: every text colour (the page's yellow notices among them) is readable on the background`, () => {
    for (const colour of TEXT_COLOURS) {
      const ratio = contrastRatio(theme[colour]!, theme.background!);
      assert.ok(ratio >= MIN_TEXT_CONTRAST, `${name} ${colour} ${theme[colour]} on ${theme.background}: ${ratio.toFixed(2)}:1`);
    }
  });
}

test('contrast: black on white is 21:1, a colour on itself 1:1', () => {
  assert.equal(contrastRatio('#000000', '#ffffff').toFixed(1), '21.0');
  assert.equal(contrastRatio('#15181d', '#15181d'), 1);
});

test("the page's chosen theme wins; without one, the system's", () => {
  assert.equal(pickTheme('light', true), 'light');
  assert.equal(pickTheme('dark', false), 'dark');
  assert.equal(pickTheme(undefined, true), 'dark');
  assert.equal(pickTheme('sepia', false), 'light');
});
