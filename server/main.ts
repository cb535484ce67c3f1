// npm start: reads the options, starts the server, prints where to open it.

import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { networkInterfaces } from 'node:os';
import { buildApp } from './app.ts';
import { reachableUrls } from './startup-urls.ts';
import { ConfigError, OPTIONS_HELP, parseConfig, type ServerConfig } from './config.ts';
import { LabStore } from './store/lab-store.ts';
import { PostgresLabStore } from './store/postgres-store.ts';
import { Front } from './workers/front.ts';

const webRoot = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'web');

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseConfig(process.argv.slice(2), process.env, webRoot);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`socket-lab: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  if (parsed.help) {
    process.stdout.write(OPTIONS_HELP);
    return;
  }
  const { config } = parsed;
  if (config.workers >= 2) return startFront(config);
  const { app, store, school } = await buildApp(config);
  await app.listen({ port: config.port, host: config.host });
  printStarted(config, app.server.address(), store ?? school!.store);
  onSignals(() => app.close());
}

/**
 * --workers N (N >= 2): the front process and its lab workers (server/workers/). The store is
 * opened here first, once: its checks and migrations run before any worker shares it, a bad
 * data folder stops start-up before anything listens, and --reveal-answers is set once (a
 * worker started again must not set it back after the teacher switched it off).
 */
async function startFront(config: ServerConfig): Promise<void> {
  const kept = config.database ? await openSharedOnce(config.database.url, config.revealAnswers) : openOnce(config.dataDir, config.revealAnswers);
  const front = await Front.start({
    host: config.host,
    port: config.port,
    workers: config.workers,
    argv: process.argv.slice(2),
    // A token made up here is every worker's.
    env: { ...process.env, TEACHER_TOKEN: config.teacherToken },
    log: (line) => console.error(`socket-lab: ${line}`),
  });
  printStarted(config, { port: front.port }, kept);
  console.log(`${config.workers} lab workers (pids ${front.workerPids.join(', ')}); the front process is pid ${process.pid}`);
  onSignals(() => front.close());
}

function openOnce(dataDir: string | null, revealAnswers: boolean): { location: string; revealAnswers: boolean } {
  const store = LabStore.open(dataDir);
  try {
    if (revealAnswers) store.setRevealAnswers(true);
    return { location: store.location, revealAnswers: store.revealAnswers };
  } finally {
    store.close();
  }
}

/** The same with --database: the PostgreSQL database migrated once, before any worker opens it. */
async function openSharedOnce(url: string, revealAnswers: boolean): Promise<{ location: string; revealAnswers: boolean }> {
  const store = await PostgresLabStore.open(url);
  try {
    if (revealAnswers) await store.setRevealAnswers(true);
    return { location: store.location, revealAnswers: store.revealAnswers };
  } finally {
    await store.close();
  }
}

/** What start-up prints: where to open it (the real port, also with --port 0), the teacher's URL. */
function printStarted(config: ServerConfig, address: unknown, store: { location: string; revealAnswers: boolean }): void {
  const port = typeof address === 'object' && address !== null && 'port' in address ? Number(address.port) : config.port;
  const urls = reachableUrls(config.host, port, networkInterfaces());
  console.log(`Socket Lab is running: open ${urls.local}`);
  if (urls.network.length > 0) console.log(`Students on the network open: ${urls.network.join('  ')}`);
  const teacherBase = urls.local;
  console.log(`The teacher's page: ${teacherBase.replace(/\/$/, '')}/teacher?token=${config.teacherToken}`);
  if (!config.teacherTokenGiven) console.log('(a new token each start; --teacher-token or TEACHER_TOKEN keeps one)');
  if (config.allow.length > 0) {
    console.log(`Lab programs may also reach: ${config.allow.map((a) => `${a.host}:${a.port}`).join(', ')}`);
  }
  console.log(`Labs, devices and settings are kept in ${store.location}`);
  if (config.database) console.log(`This is instance ${config.instanceName} of a school: its labs are found by the others through that database (docs/scaling.md)`);
  if (store.revealAnswers) console.log("The worksheet's answer programs are revealed.");
}

function onSignals(close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: closing every socket and stopping.`);
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  console.error(`socket-lab: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
