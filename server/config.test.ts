import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ConfigError, OPTIONS_HELP, parseConfig } from './config.ts';
import { LIMITS } from './limits.ts';

test('defaults work with no options, with a random teacher token each start', () => {
  const a = parseConfig([], {}, null).config;
  const b = parseConfig([], {}, null).config;
  assert.equal(a.port, 8080);
  assert.equal(a.host, '127.0.0.1');
  assert.equal(a.teacherTokenGiven, false);
  assert.ok(a.teacherToken.length >= 16);
  assert.notEqual(a.teacherToken, b.teacherToken);
  assert.equal(a.limits.socketsPerConsole, 64);
  assert.equal(a.pingIntervalMs, 3000);
  assert.equal(a.logLevel, 'warn');
  assert.equal(a.labRetentionMs, 12 * 3_600_000);
});

test('the teacher token, limits, timeouts and log level are options', () => {
  const { config } = parseConfig(
    ['--teacher-token', 'class-7b-secret', '--limit', 'sockets-per-console=5', '--limit=connections-per-second=3',
      '--ping-interval', '5', '--idle-timeout', '0', '--join-attempts', '7', '--log-level', 'info'],
    {},
    null,
  );
  assert.equal(config.teacherToken, 'class-7b-secret');
  assert.equal(config.teacherTokenGiven, true);
  assert.equal(config.limits.socketsPerConsole, 5);
  assert.equal(config.limits.connectionsPerSecond, 3);
  assert.equal(config.pingIntervalMs, 5000);
  assert.equal(config.idleTimeoutMs, 0);
  assert.equal(config.joinAttemptsPerMinute, 7);
  assert.equal(config.logLevel, 'info');
  assert.equal(parseConfig([], { TEACHER_TOKEN: 'from-the-env', LOG_LEVEL: 'debug' }, null).config.teacherToken, 'from-the-env');
});

test('bad values stop start-up with a message that names the option', () => {
  const bad: [string[], RegExp][] = [
    [['--teacher-token', 'short'], /--teacher-token: at least 8/],
    [['--teacher-token', 'has space in it'], /--teacher-token: use only/],
    [['--limit', 'sockets=5'], /no limit called 'sockets'/],
    [['--limit', 'sockets-per-console'], /is not NAME=NUMBER/],
    [['--limit', 'sockets-per-console=0'], /at least 1/],
    [['--ping-interval', '0'], /--ping-interval: '0'/],
    [['--log-level', 'loud'], /--log-level: 'loud'/],
    [['--lab-retention', '-1'], /--lab-retention: '-1'/],
    [['--lab-retention', '1.5'], /--lab-retention: '1.5'/],
    [['--lab-retention'], /--lab-retention needs a value/],
  ];
  for (const [argv, message] of bad) assert.throws(() => parseConfig(argv, {}, null), (e: unknown) => e instanceof ConfigError && message.test(e.message), argv.join(' '));
});

test('--help lists every option and every limit with its default', () => {
  for (const option of ['--port', '--host', '--teacher-token', '--allow', '--expose', '--limit', '--ping-interval', '--idle-timeout', '--join-attempts', '--log-level', '--data', '--lab-retention']) {
    assert.ok(OPTIONS_HELP.includes(option), option);
  }
  for (const limit of LIMITS) assert.ok(OPTIONS_HELP.includes(`${limit.name}=${limit.default}`), limit.name);
});

test('--lab-retention: hours with no console before a lab is removed; 0 keeps every lab', () => {
  assert.equal(parseConfig(['--lab-retention', '3'], {}, null).config.labRetentionMs, 3 * 3_600_000);
  assert.equal(parseConfig(['--lab-retention=0'], {}, null).config.labRetentionMs, 0);
  assert.match(OPTIONS_HELP, /--lab-retention H .*\n.*default 12; 0: keep every lab/);
});
