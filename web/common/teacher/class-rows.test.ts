import { test } from 'vitest';
import assert from 'node:assert/strict';
import type { ClassInfo } from '../../../shared/class-info.ts';
import { classRowsHtml, classViewPath } from './class-rows.ts';

const DEFAULT: ClassInfo = { id: 1, name: 'Default class', isDefault: true, joinUrls: ['http://10.0.0.5:8080/'], teacherUrl: null, revealAnswers: false, labs: 2 };
const TENB: ClassInfo = {
  id: 2,
  name: '10B <Networks> & "friends"',
  isDefault: false,
  joinUrls: ['http://10.0.0.5:8080/class/10b-networks-friends'],
  teacherUrl: 'http://10.0.0.5:8080/teacher?token=abc_DEF-123',
  revealAnswers: true,
  labs: 0,
};

test("a class's view is /teacher for the default class, /teacher?class=ID for another", () => {
  assert.equal(classViewPath(DEFAULT), '/teacher');
  assert.equal(classViewPath(TENB), '/teacher?class=2');
});

test('rows: names escaped, the teacher link folded, the shown class marked instead of linked', () => {
  const html = classRowsHtml([DEFAULT, TENB], 1);
  assert.ok(html.includes('10B &#60;Networks&#62; &#38; &#34;friends&#34;'), html);
  assert.ok(!html.includes('<Networks>'));
  assert.match(html, /<tr data-class="1" aria-current="page">.*shown on this page/);
  assert.match(html, /<a class="open-class" href="\/teacher\?class=2">/);
  assert.match(html, /<details class="teacher-link">.*value="http:\/\/10\.0\.0\.5:8080\/teacher\?token=abc_DEF-123"/);
  assert.match(html, /yours \(the administrator's\)/);
  assert.match(html, /\(answers revealed\)/);
  assert.match(html, /href="http:\/\/10\.0\.0\.5:8080\/class\/10b-networks-friends"/);
});
