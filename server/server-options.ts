// The options of `npm start`, in one table: each with its variable, default, help and check.
// --help, the parsing (server/config.ts) and the README's table (tests/readme-options.test.ts)
// all come from it. Every value is checked here, so a typo stops start-up naming the option.

import { parseIPv4 } from '../shared/lab-address.ts';
import { limitsHelp, parseLimit } from './limits.ts';
import { OptionError, type OptionTable } from './cli/option-table.ts';
import type { AllowedTarget } from './config.ts';
import { parseDatabaseUrl } from './store/database-url.ts';

export const LOG_LEVELS = ['silent', 'fatal', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';
/** Relative to the working directory of the process. */
export const DEFAULT_DATA_DIR = './data';
export const DEFAULT_PING_INTERVAL_SECONDS = 3;
export const DEFAULT_IDLE_TIMEOUT_MINUTES = 180;
export const DEFAULT_JOIN_ATTEMPTS_PER_MINUTE = 20;
/** Half a day: a lab is still there for the afternoon's lesson, gone by the next morning. */
export const DEFAULT_LAB_RETENTION_HOURS = 12;
export const DEFAULT_LOG_LEVEL: LogLevel = 'warn';
/** An instance's name goes in a response header and in the teacher's events: short and plain. */
export const MAX_INSTANCE_NAME_LENGTH = 64;
/** A chosen teacher token must be at least this long: it is the only lock on the teacher's page. */
export const MIN_TEACHER_TOKEN_LENGTH = 8;

function parsePort(text: string, what: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535) throw new OptionError(`${what}: '${text}' is not a port (0-65535)`);
  return Number(text);
}

export function parseAllowTarget(text: string): AllowedTarget {
  const m = /^(.+):(\d+)$/.exec(text.trim());
  if (!m) throw new OptionError(`--allow: '${text}' is not HOST:PORT`);
  const host = m[1]!;
  // Only dotted-quad IPv4: the allow list names exact addresses, never names or odd spellings.
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(host) || parseIPv4(host) === null) {
    throw new OptionError(`--allow: '${host}' is not an IPv4 address like 127.0.0.1`);
  }
  const port = parsePort(m[2]!, '--allow');
  if (port === 0) throw new OptionError('--allow: port 0 is not a destination');
  return { host, port };
}

function parseCount(text: string, what: string, min: number): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text)) || Number(text) < min) {
    throw new OptionError(`${what}: '${text}' is not a whole number of at least ${min}`);
  }
  return Number(text);
}

function parseTeacherToken(text: string, what: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new OptionError(`${what}: use only letters, digits, '-' and '_' (it goes in a URL)`);
  if (text.length < MIN_TEACHER_TOKEN_LENGTH) throw new OptionError(`${what}: at least ${MIN_TEACHER_TOKEN_LENGTH} characters`);
  return text;
}

function parseLogLevel(text: string, what: string): LogLevel {
  if (!(LOG_LEVELS as readonly string[]).includes(text)) throw new OptionError(`${what}: '${text}' is not one of ${LOG_LEVELS.join(', ')}`);
  return text as LogLevel;
}

function parseRealPorts(text: string, what: string): 'same' | 'any' {
  if (text !== 'same' && text !== 'any') throw new OptionError(`${what}: '${text}' is not 'same' or 'any'`);
  return text;
}

function parseDataDir(text: string, what: string): string {
  if (text.trim() === '') throw new OptionError(`${what}: needs a folder`);
  return text;
}

function parseInstanceName(text: string, what: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(text) || text.length > MAX_INSTANCE_NAME_LENGTH) {
    throw new OptionError(`${what}: use only letters, digits, '.', '-' and '_', at most ${MAX_INSTANCE_NAME_LENGTH}`);
  }
  return text;
}

function parseInstanceUrl(text: string, what: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OptionError(`${what}: '${text}' is not a URL (http://HOST:PORT)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OptionError(`${what}: use an http:// or https:// URL`);
  return url.origin;
}

/** An address or network (CIDR) of a proxy in front, as Fastify's trustProxy takes it; `loopback` is 127.0.0.0/8 and ::1. */
function parseTrustedProxy(text: string, what: string): string {
  const value = text.trim();
  if (value === 'loopback') return value;
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})(?:\/(\d{1,2}))?$/.exec(value);
  if (!m || parseIPv4(m[1]!) === null || (m[2] !== undefined && Number(m[2]) > 32)) {
    throw new OptionError(`${what}: '${value}' is not an IPv4 address, a network like 10.0.0.0/8, or 'loopback'`);
  }
  return value;
}

function parseLimitOption(text: string): ReturnType<typeof parseLimit> {
  try {
    return parseLimit(text);
  } catch (err) {
    throw new OptionError((err as Error).message);
  }
}

/** Every option of `npm start`: --help, the parsing and the README's table (tests/readme-options.test.ts) come from it. */
export const SERVER_OPTIONS = {
  port: { kind: 'value', placeholder: 'N', env: 'PORT', default: DEFAULT_PORT, parse: parsePort, help: 'port to serve on' },
  host: {
    kind: 'value',
    placeholder: 'ADDR',
    env: 'HOST',
    default: DEFAULT_HOST,
    parse: (text) => text,
    help: 'address to serve on; `0.0.0.0` serves every interface, for a class on a school network',
  },
  workers: {
    kind: 'value',
    placeholder: 'N',
    env: 'SOCKET_LAB_WORKERS',
    // No default here: it depends on --database (server/config.ts).
    defaultText: "the machine's cores; 1 with `--database`",
    specialValue: '1: one process, as before',
    parse: (text, what) => parseCount(text, what, 1),
    help: "lab worker processes: each holds the labs its share of lab codes names, and a front process hands each connection to its lab's worker (docs/scaling.md)",
  },
  'teacher-token': {
    kind: 'value',
    placeholder: 'T',
    env: 'TEACHER_TOKEN',
    defaultText: 'random each start',
    parse: parseTeacherToken,
    help: `the administrator's secret in the teacher's URL (the default class's teacher; classes made on the teacher's page get their own): letters, digits, \`-\` and \`_\`, at least ${MIN_TEACHER_TOKEN_LENGTH}`,
  },
  allow: {
    kind: 'list',
    placeholder: 'HOST:PORT',
    env: 'ALLOW',
    parse: (text) => parseAllowTarget(text),
    help: 'a real address lab programs may connect to when no lab listener matches',
  },
  expose: {
    kind: 'flag',
    help: 'bind the real listeners behind lab listeners on all interfaces, not loopback, so native programs on other laptops can connect',
  },
  'reveal-answers': {
    kind: 'flag',
    env: 'REVEAL_ANSWERS',
    help: "make the worksheet's answer programs runnable from the start; the teacher's page switches it at run time",
  },
  'real-ports': {
    kind: 'value',
    placeholder: 'same|any',
    default: 'same',
    parse: parseRealPorts,
    help: '`same`: a lab listener takes its lab port on the host when it is free and no `--allow` entry names it; `any`: always an OS-assigned port',
  },
  data: {
    kind: 'value',
    placeholder: 'DIR',
    env: 'DATA_DIR',
    default: DEFAULT_DATA_DIR,
    parse: parseDataDir,
    help: 'folder of the database that keeps labs, devices and settings across restarts; a relative one is in the working directory',
  },
  database: {
    kind: 'value',
    placeholder: 'URL',
    env: 'SOCKET_LAB_DATABASE',
    defaultText: 'SQLite in --data',
    parse: parseDatabaseUrl,
    help: 'a PostgreSQL database (`postgres://USER:PASSWORD@HOST/DB`) shared by several instances behind HAProxy, in place of SQLite (docs/scaling.md)',
  },
  'instance-name': {
    kind: 'value',
    placeholder: 'NAME',
    env: 'SOCKET_LAB_INSTANCE',
    defaultText: "the computer's host name",
    parse: parseInstanceName,
    help: 'this instance among several: sent as the `X-Socket-Lab-Instance` header of every answer, and recorded as the owner of the labs it serves (each instance of a school needs its own)',
  },
  'instance-url': {
    kind: 'value',
    placeholder: 'URL',
    env: 'SOCKET_LAB_INSTANCE_URL',
    defaultText: 'the URL it serves on',
    parse: parseInstanceUrl,
    help: "with `--database`: where the other instances reach this one (not through HAProxy), to fetch the teacher's view of the labs it serves",
  },
  'trust-proxy': {
    kind: 'list',
    placeholder: 'ADDR',
    env: 'TRUST_PROXY',
    parse: parseTrustedProxy,
    help: "a proxy in front (HAProxy: its address, a network, or `loopback`) whose X-Forwarded-For names the client, so the wrong-code limit counts each computer, not the proxy",
  },
  limit: {
    kind: 'list',
    placeholder: 'NAME=N',
    defaultText: 'see below',
    parse: parseLimitOption,
    help: 'change one limit',
    helpDetails: limitsHelp(),
  },
  'ping-interval': {
    kind: 'value',
    placeholder: 'S',
    default: DEFAULT_PING_INTERVAL_SECONDS,
    parse: (text, what) => parseCount(text, what, 1),
    help: "seconds between pings of each console's WebSocket; a console that misses one is cut and its sockets closed",
  },
  'idle-timeout': {
    kind: 'value',
    placeholder: 'M',
    default: DEFAULT_IDLE_TIMEOUT_MINUTES,
    specialValue: '0: never',
    parse: (text, what) => parseCount(text, what, 0),
    help: 'minutes a console may send nothing before it is closed',
  },
  'join-attempts': {
    kind: 'value',
    placeholder: 'N',
    default: DEFAULT_JOIN_ATTEMPTS_PER_MINUTE,
    parse: (text, what) => parseCount(text, what, 1),
    help: 'wrong lab codes one address may try per minute (joining, and the lab pages) before it must wait',
  },
  'lab-retention': {
    kind: 'value',
    placeholder: 'H',
    default: DEFAULT_LAB_RETENTION_HOURS,
    specialValue: '0: keep every lab',
    parse: (text, what) => parseCount(text, what, 0),
    help: 'hours a lab may have no console open before it is removed and its code freed; its Check results are kept',
  },
  'log-level': {
    kind: 'value',
    placeholder: 'L',
    env: 'LOG_LEVEL',
    default: DEFAULT_LOG_LEVEL,
    parse: parseLogLevel,
    help: LOG_LEVELS.join(', '),
  },
} satisfies OptionTable;

