import { test } from 'vitest';
import assert from 'node:assert/strict';
import type { TeacherLab, TeacherLabState } from '../../../shared/teacher-snapshot.ts';
import { classSummary } from './class-summary.ts';

function lab(state: TeacherLabState, consoles: number[], links = 0): TeacherLab {
  return {
    code: 'ABCDEF',
    number: 1,
    createdAt: 0,
    state,
    lastActive: 0,
    removeAt: null,
    devices: consoles.map((n, i) => ({ id: i + 1, address: `10.1.0.${i + 2}`, browser: '', consoles: n, lastSeen: 0, processes: [] })),
    netstat: [],
    links: Array.from({ length: links }, () => ({ client: '10.1.0.2', server: '10.1.0.3', port: 5000, state: 'ESTABLISHED', outside: null })),
    listeners: [],
  };
}

test('only what is live: labs in use, devices online, consoles open, connections', () => {
  const labs = [lab('open', [2, 1, 0], 1), lab('open', [1]), lab('idle', [0, 0]), lab('ended', [0, 0, 0]), lab('ended', [])];
  assert.equal(classSummary(labs), '2 labs in use · 3 devices online · 4 consoles open · 1 connection');
  assert.equal(classSummary([lab('ended', [0])]), '0 labs in use · 0 devices online · 0 consoles open · 0 connections');
  assert.equal(classSummary([lab('open', [1])]), '1 lab in use · 1 device online · 1 console open · 0 connections');
});
