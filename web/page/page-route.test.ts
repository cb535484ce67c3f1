import { test } from 'vitest';
import assert from 'node:assert/strict';
import { bridgeUrl, fileToOpen, routeFor } from './page-route.ts';

test('/ is the home page; /lab/CODE a lab, code upper-cased', () => {
  assert.deepEqual(routeFor('/', ''), { page: 'home' });
  assert.deepEqual(routeFor('/join', '?code=abc234'), { page: 'home' });
  assert.deepEqual(routeFor('/lab/K7QX2M', ''), { page: 'lab', code: 'K7QX2M', run: null });
  assert.deepEqual(routeFor('/lab/k7qx2m/', ''), { page: 'lab', code: 'K7QX2M', run: null });
  assert.deepEqual(routeFor('/lab/', ''), { page: 'unknown' });
  assert.deepEqual(routeFor('/lab/a/b', ''), { page: 'unknown' });
  assert.deepEqual(routeFor('/teacher', ''), { page: 'unknown' });
});

test('?run=NAME takes a program name only', () => {
  assert.deepEqual(routeFor('/lab/AB', '?run=basic_server'), { page: 'lab', code: 'AB', run: 'basic_server' });
  assert.deepEqual(routeFor('/lab/AB', '?run=basic_server%0Akill%201'), { page: 'lab', code: 'AB', run: null });
  assert.deepEqual(routeFor('/lab/AB', '?run='), { page: 'lab', code: 'AB', run: null });
});

test('the bridge address follows the page: ws over http, wss over https', () => {
  assert.equal(bridgeUrl({ protocol: 'http:', host: '192.168.1.20:8080' }, 'ABC234'), 'ws://192.168.1.20:8080/ws?lab=ABC234');
  assert.equal(bridgeUrl({ protocol: 'https:', host: 'lab.example' }, 'ABC234'), 'wss://lab.example/ws?lab=ABC234');
});

test('?open=FILE takes a Python file name only', () => {
  assert.equal(fileToOpen('?open=tictactoe.py'), 'tictactoe.py');
  assert.equal(fileToOpen('?run=basic_server&open=my-game.v2.py'), 'my-game.v2.py');
  assert.equal(fileToOpen(''), null);
  assert.equal(fileToOpen('?open=tictactoe'), null);
  assert.equal(fileToOpen('?open=../x.py'), null);
  assert.equal(fileToOpen('?open=a.py%0Akill%201'), null);
});

test("/class/SLUG is a class's join page, its slug lower-cased; anything else there is unknown", () => {
  assert.deepEqual(routeFor('/class/10b-networks', ''), { page: 'class', slug: '10b-networks' });
  assert.deepEqual(routeFor('/class/10B-Networks/', ''), { page: 'class', slug: '10b-networks' });
  assert.deepEqual(routeFor('/class/', ''), { page: 'unknown' });
  assert.deepEqual(routeFor('/class/a--b', ''), { page: 'unknown' });
  assert.deepEqual(routeFor('/class/a/b', ''), { page: 'unknown' });
});
