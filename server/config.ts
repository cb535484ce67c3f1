// The server's options: command line first, then environment, then defaults that work.
// Every option is checked here, up front, so a typo stops start-up with a clear message.

import { randomBytes } from 'node:crypto';
import { parseIPv4 } from '../shared/lab-address.ts';
import { defaultLimits, limitsHelp, parseLimit, type Limits } from './limits.ts';

export interface AllowedTarget {
  host: string;
  port: number;
}

export interface ServerConfig {
  host: string;
  port: number;
  /** Outside addresses a lab program may connect to when no lab listener matches. */
  allow: AllowedTarget[];
  /** Bind the real listeners behind lab listeners on all interfaces instead of loopback. */
  expose: boolean;
  revealAnswers: boolean;
  /** 'same': a lab listener's real port is its lab port when that is free on the host; 'any': always OS-assigned. */
  realPorts: 'same' | 'any';
  /** Folder of the built front end; null serves none (API-only tests). */
  webRoot: string | null;
  /** Folder of the database that keeps labs, devices and settings across restarts; null keeps them in memory only (tests). */
  dataDir: string | null;
  /** The secret in the teacher's URL (/teacher?token=...); random each start unless set. */
  teacherToken: string;
  /** Whether the token was chosen (option or environment) rather than made up at start-up. */
  teacherTokenGiven: boolean;
  limits: Limits;
  /** How often each console's WebSocket is pinged; one that missed the last ping is cut. */
  pingIntervalMs: number;
  /** A console whose page sent nothing for this long is closed (0: never). */
  idleTimeoutMs: number;
  /** Wrong lab codes one address may try per minute (joining, and the lab pages) before waiting. */
  joinAttemptsPerMinute: number;
  /** A lab with no console open for this long is removed and its code freed (0: labs are kept). */
  labRetentionMs: number;
  logLevel: LogLevel;
}

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
const HOUR_MS = 3_600_000;
export const DEFAULT_LOG_LEVEL: LogLevel = 'warn';
/** A chosen teacher token must be at least this long: it is the only lock on the teacher's page. */
export const MIN_TEACHER_TOKEN_LENGTH = 8;

export const OPTIONS_HELP = `Usage: npm start -- [options]

  --port N            port to serve on (env PORT; default ${DEFAULT_PORT})
  --host ADDR         address to serve on (env HOST; default ${DEFAULT_HOST});
                      0.0.0.0 serves every interface, for a class on a school network
  --allow HOST:PORT   let lab programs connect to this real address outside the lab when
                      no lab listener matches (repeatable; env ALLOW, comma-separated)
  --expose            bind the real listeners behind lab listeners on all interfaces,
                      so native programs on other laptops can connect (default: loopback)
  --reveal-answers    make the worksheet's answer programs runnable (env REVEAL_ANSWERS=1)
  --real-ports MODE   same: a lab listener takes its lab port on the host when free and no
                      --allow entry names it (default); any: always an OS-assigned port
  --data DIR          folder of the database that keeps labs, devices and settings across
                      restarts (env DATA_DIR; default ${DEFAULT_DATA_DIR}, in the working directory)
  --teacher-token T   the secret in the teacher's URL (env TEACHER_TOKEN; at least
                      ${MIN_TEACHER_TOKEN_LENGTH} characters); default: a new random one each start, printed
  --limit NAME=N      change a limit (repeatable); the limits and their defaults:
${limitsHelp()}
  --ping-interval S   seconds between pings of each console's WebSocket; a console that
                      misses one is cut and its sockets closed (default ${DEFAULT_PING_INTERVAL_SECONDS})
  --idle-timeout M    minutes a console may send nothing before it is closed
                      (default ${DEFAULT_IDLE_TIMEOUT_MINUTES}; 0: never)
  --join-attempts N   wrong lab codes one address may try per minute (default ${DEFAULT_JOIN_ATTEMPTS_PER_MINUTE})
  --lab-retention H   hours a lab may have no console open before it is removed and its
                      code freed; its Check results are kept (default ${DEFAULT_LAB_RETENTION_HOURS}; 0: keep every lab)
  --log-level L       ${LOG_LEVELS.join(', ')} (env LOG_LEVEL; default ${DEFAULT_LOG_LEVEL})
  --help              this text
`;

export class ConfigError extends Error {}

function parsePort(text: string, what: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535) throw new ConfigError(`${what}: '${text}' is not a port (0-65535)`);
  return Number(text);
}

export function parseAllowTarget(text: string): AllowedTarget {
  const m = /^(.+):(\d+)$/.exec(text.trim());
  if (!m) throw new ConfigError(`--allow: '${text}' is not HOST:PORT`);
  const host = m[1]!;
  // Only dotted-quad IPv4: the allow list names exact addresses, never names or odd spellings.
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(host) || parseIPv4(host) === null) {
    throw new ConfigError(`--allow: '${host}' is not an IPv4 address like 127.0.0.1`);
  }
  const port = parsePort(m[2]!, '--allow');
  if (port === 0) throw new ConfigError('--allow: port 0 is not a destination');
  return { host, port };
}

function parseCount(text: string, what: string, min: number): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text)) || Number(text) < min) {
    throw new ConfigError(`${what}: '${text}' is not a whole number of at least ${min}`);
  }
  return Number(text);
}

function parseTeacherToken(text: string, what: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new ConfigError(`${what}: use only letters, digits, '-' and '_' (it goes in a URL)`);
  if (text.length < MIN_TEACHER_TOKEN_LENGTH) throw new ConfigError(`${what}: at least ${MIN_TEACHER_TOKEN_LENGTH} characters`);
  return text;
}

function parseLogLevel(text: string, what: string): LogLevel {
  if (!(LOG_LEVELS as readonly string[]).includes(text)) throw new ConfigError(`${what}: '${text}' is not one of ${LOG_LEVELS.join(', ')}`);
  return text as LogLevel;
}

/** The options as the environment and the defaults give them, before the command line. */
export function baseConfig(env: Record<string, string | undefined>, webRoot: string | null): ServerConfig {
  return {
    host: env.HOST || DEFAULT_HOST,
    port: env.PORT ? parsePort(env.PORT, 'PORT') : DEFAULT_PORT,
    allow: (env.ALLOW ?? '').split(',').filter((s) => s.trim() !== '').map(parseAllowTarget),
    expose: false,
    revealAnswers: env.REVEAL_ANSWERS === '1' || env.REVEAL_ANSWERS === 'true',
    realPorts: 'same',
    webRoot,
    dataDir: env.DATA_DIR || DEFAULT_DATA_DIR,
    teacherToken: env.TEACHER_TOKEN ? parseTeacherToken(env.TEACHER_TOKEN, 'TEACHER_TOKEN') : randomBytes(12).toString('base64url'),
    teacherTokenGiven: !!env.TEACHER_TOKEN,
    limits: defaultLimits(),
    pingIntervalMs: DEFAULT_PING_INTERVAL_SECONDS * 1000,
    idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MINUTES * 60_000,
    joinAttemptsPerMinute: DEFAULT_JOIN_ATTEMPTS_PER_MINUTE,
    labRetentionMs: DEFAULT_LAB_RETENTION_HOURS * HOUR_MS,
    logLevel: env.LOG_LEVEL ? parseLogLevel(env.LOG_LEVEL, 'LOG_LEVEL') : DEFAULT_LOG_LEVEL,
  };
}

export interface ParsedArgs {
  config: ServerConfig;
  help: boolean;
}

export function parseConfig(argv: string[], env: Record<string, string | undefined>, webRoot: string | null): ParsedArgs {
  const config = baseConfig(env, webRoot);
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new ConfigError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--port':
        config.port = parsePort(value(), '--port');
        break;
      case '--host':
        config.host = value();
        break;
      case '--allow':
        config.allow.push(parseAllowTarget(value()));
        break;
      case '--expose':
        config.expose = true;
        break;
      case '--reveal-answers':
        config.revealAnswers = true;
        break;
      case '--real-ports': {
        const v = value();
        if (v !== 'same' && v !== 'any') throw new ConfigError(`--real-ports: '${v}' is not 'same' or 'any'`);
        config.realPorts = v;
        break;
      }
      case '--data': {
        const v = value();
        if (v.trim() === '') throw new ConfigError('--data: needs a folder');
        config.dataDir = v;
        break;
      }
      case '--teacher-token':
        config.teacherToken = parseTeacherToken(value(), '--teacher-token');
        config.teacherTokenGiven = true;
        break;
      case '--limit': {
        try {
          const { key, value: n } = parseLimit(value());
          config.limits[key] = n;
        } catch (err) {
          if (err instanceof ConfigError) throw err;
          throw new ConfigError((err as Error).message);
        }
        break;
      }
      case '--ping-interval':
        config.pingIntervalMs = parseCount(value(), '--ping-interval', 1) * 1000;
        break;
      case '--idle-timeout':
        config.idleTimeoutMs = parseCount(value(), '--idle-timeout', 0) * 60_000;
        break;
      case '--join-attempts':
        config.joinAttemptsPerMinute = parseCount(value(), '--join-attempts', 1);
        break;
      case '--lab-retention':
        config.labRetentionMs = parseCount(value(), '--lab-retention', 0) * HOUR_MS;
        break;
      case '--log-level':
        config.logLevel = parseLogLevel(value(), '--log-level');
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new ConfigError(`unknown option '${arg}' (npm start -- --help lists them)`);
    }
  }
  return { config, help };
}
