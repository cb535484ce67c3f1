import { test } from 'vitest';
import assert from 'node:assert/strict';
import { MemoryStorage } from '../files/memory-storage.ts';
import { HIDE_ENDED_KEY, hideEndedSetting, labShown, normalizeFilter, saveHideEndedSetting } from './lab-filter.ts';

test('the filter is part of a code; ended labs hide unless the filter looks for them', () => {
  assert.equal(normalizeFilter(' ab-c d'), 'ABCD');
  const ended = { code: 'ABCDEF', state: 'ended' as const };
  const open = { code: 'XYZ234', state: 'open' as const };
  assert.equal(labShown(ended, '', true), false);
  assert.equal(labShown(ended, '', false), true);
  assert.equal(labShown(open, '', true), true);
  assert.equal(labShown(ended, 'CDE', true), true, 'a code typed finds an ended lab');
  assert.equal(labShown(open, 'CDE', false), false);
  assert.equal(labShown({ code: 'ABCDEF', state: 'idle' }, '', true), true);
});

test('"Hide ended labs" is on until turned off, and remembered', () => {
  const storage = new MemoryStorage();
  assert.equal(hideEndedSetting(storage), true);
  saveHideEndedSetting(storage, false);
  assert.equal(storage.getItem(HIDE_ENDED_KEY), 'off');
  assert.equal(hideEndedSetting(storage), false);
  saveHideEndedSetting(storage, true);
  assert.equal(hideEndedSetting(storage), true);
  assert.equal(hideEndedSetting(null), true);
  saveHideEndedSetting(null, false);
});
