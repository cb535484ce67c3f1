import { test } from 'vitest';
import assert from 'node:assert/strict';
import type { TeacherLab } from '../../../shared/teacher-snapshot.ts';
import { connectionPicture, pictureSummary } from './connection-picture.ts';

const device = (address: string) => ({ id: Number(address.split('.')[3]) - 1, address, browser: '', consoles: 1, lastSeen: 0, processes: [] });

const LAB: TeacherLab = {
  code: 'ABCDEF',
  number: 1,
  createdAt: 0,
  state: 'open',
  lastActive: 0,
  removeAt: null,
  devices: [device('10.1.0.2'), device('10.1.0.3')],
  netstat: [],
  links: [
    { client: '10.1.0.3', server: '10.1.0.2', port: 12345, state: 'ESTABLISHED', outside: null },
    { client: '10.1.0.3', server: '10.1.0.2', port: 12345, state: 'CLOSE_WAIT', outside: null },
    { client: '10.1.0.2', server: '10.1.0.2', port: 5000, state: 'ESTABLISHED', outside: null },
    { client: '127.0.0.1:40000', server: '10.1.0.3', port: 7000, state: 'ESTABLISHED', outside: 'client' },
  ],
  listeners: [
    { device: '10.1.0.2', local: '0.0.0.0:12345', port: 12345, pid: 1000 },
    { device: '10.1.0.2', local: '127.0.0.1:5000', port: 5000, pid: 1000 },
  ],
};

test('devices, an outside program, listeners and every link are drawn', () => {
  const svg = connectionPicture(LAB);
  assert.equal((svg.match(/<g class="node[ "]/g) ?? []).length, 3);
  assert.match(svg, /data-address="127\.0\.0\.1:40000"/);
  assert.match(svg, /class="node listening" data-address="10\.1\.0\.2"/);
  assert.match(svg, />:12345 :5000</);
  assert.equal((svg.match(/class="link"/g) ?? []).length, 4);
  assert.match(svg, /data-client="10\.1\.0\.3" data-server="10\.1\.0\.2" data-port="12345" data-state="ESTABLISHED"/);
  assert.match(svg, /data-state="CLOSE_WAIT"[^>]*>.*?stroke-dasharray/);
  assert.doesNotMatch(svg, /NaN/);
});

test('the summary says who is connected to whom; text is escaped', () => {
  assert.match(pictureSummary(LAB), /^Lab ABCDEF: 2 devices; 10\.1\.0\.3 connected to 10\.1\.0\.2 port 12345 \(ESTABLISHED\)/);
  assert.equal(pictureSummary({ ...LAB, links: [] }), 'Lab ABCDEF: 2 devices, no connections');
  const odd = connectionPicture({ ...LAB, links: [{ client: '10.1.0.2', server: '<b>"x"', port: 1, state: 'ESTABLISHED', outside: 'server' }] });
  assert.doesNotMatch(odd, /<b>/);
});

test('one device alone, and none', () => {
  assert.doesNotMatch(connectionPicture({ ...LAB, devices: [device('10.1.0.2')], links: [], listeners: [] }), /NaN/);
  assert.match(connectionPicture({ ...LAB, devices: [], links: [], listeners: [] }), /^<svg/);
});
