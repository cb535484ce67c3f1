// The server's configuration, from its options (server/server-options.ts): command line first,
// then environment, then defaults that work.

import { randomBytes } from 'node:crypto';
import { availableParallelism, hostname } from 'node:os';
import type { DatabaseUrl } from './store/database-url.ts';
import { defaultLimits, type Limits } from './limits.ts';
import { helpText, readCommandLine, type CommandLine } from './cli/option-table.ts';
import { SERVER_OPTIONS, type LogLevel } from './server-options.ts';

/** A bad option or variable: start-up stops with its message. */
export { OptionError as ConfigError } from './cli/option-table.ts';
export type { LogLevel } from './server-options.ts';

const HOUR_MS = 3_600_000;

export interface AllowedTarget {
  host: string;
  port: number;
}

export interface ServerConfig {
  host: string;
  port: number;
  /** Lab worker processes (--workers); 1: one process holds every lab, with no front process. */
  workers: number;
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
  /** --database: a PostgreSQL database; null: the SQLite file in dataDir. Checked only, for now: docs/scaling.md. */
  database: DatabaseUrl | null;
  /** This instance's name among several (the X-Socket-Lab-Instance header). */
  instanceName: string;
  /** --instance-url: where the other instances of a school reach this one; null: the URL it serves on. */
  instanceUrl: string | null;
  /** Proxies in front whose X-Forwarded-For is believed (Fastify's trustProxy); empty: none, req.ip is the socket's peer. */
  trustProxy: string[];
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

const SERVER_COMMAND_LINE: CommandLine<typeof SERVER_OPTIONS> = { command: 'npm start --', options: SERVER_OPTIONS };

/** What `npm start -- --help` prints. */
export const OPTIONS_HELP = helpText(SERVER_COMMAND_LINE);

export interface ParsedArgs {
  config: ServerConfig;
  help: boolean;
}

/** The options as the command line, then the environment, then the defaults give them. */
export function parseConfig(argv: string[], env: Record<string, string | undefined>, webRoot: string | null): ParsedArgs {
  const { values, help } = readCommandLine(SERVER_COMMAND_LINE, argv, env);
  const limits = defaultLimits();
  for (const { key, value } of values.limit) limits[key] = value;
  const teacherToken = values['teacher-token'];
  const config: ServerConfig = {
    host: values.host,
    port: values.port,
    workers: workersOf(values.workers, values.database !== undefined),
    allow: values.allow,
    expose: values.expose,
    revealAnswers: values['reveal-answers'],
    realPorts: values['real-ports'],
    webRoot,
    dataDir: values.data,
    database: values.database ?? null,
    instanceName: values['instance-name'] ?? defaultInstanceName(),
    instanceUrl: values['instance-url'] ?? null,
    trustProxy: values['trust-proxy'],
    teacherToken: teacherToken ?? randomBytes(12).toString('base64url'),
    teacherTokenGiven: teacherToken !== undefined,
    limits,
    pingIntervalMs: values['ping-interval'] * 1000,
    idleTimeoutMs: values['idle-timeout'] * 60_000,
    joinAttemptsPerMinute: values['join-attempts'],
    labRetentionMs: values['lab-retention'] * HOUR_MS,
    logLevel: values['log-level'],
  };
  return { config, help };
}

/** The options as the environment and the defaults give them, before the command line. */
export function baseConfig(env: Record<string, string | undefined>, webRoot: string | null): ServerConfig {
  return parseConfig([], env, webRoot).config;
}

/**
 * --workers, or its default: the machine's cores; with --database, 1. A school scales by its
 * instances behind HAProxy (several may share a machine, as deploy/start-school.sh runs them),
 * so an instance started as the script and the README start it is one process; --workers N
 * still gives one instance lab workers on the shared database.
 */
function workersOf(given: number | undefined, database: boolean): number {
  return given ?? (database ? 1 : availableParallelism());
}

/** The computer's host name, as a header value may carry it. */
function defaultInstanceName(): string {
  const name = hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
  return name === '' ? 'socket-lab' : name;
}
