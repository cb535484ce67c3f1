// npm start: reads the options, starts the server, prints where to open it.

import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { networkInterfaces } from 'node:os';
import { buildApp } from './app.ts';
import { reachableUrls } from './startup-urls.ts';
import { ConfigError, OPTIONS_HELP, parseConfig } from './config.ts';

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
  const { app, store } = await buildApp(config);
  await app.listen({ port: config.port, host: config.host });
  const urls = reachableUrls(config.host, config.port, networkInterfaces());
  console.log(`Socket Lab is running: open ${urls.local}`);
  if (urls.network.length > 0) console.log(`Students on the network open: ${urls.network.join('  ')}`);
  const teacherBase = urls.local;
  console.log(`The teacher's page: ${teacherBase.replace(/\/$/, '')}/teacher?token=${config.teacherToken}`);
  if (!config.teacherTokenGiven) console.log('(a new token each start; --teacher-token or TEACHER_TOKEN keeps one)');
  if (config.allow.length > 0) {
    console.log(`Lab programs may also reach: ${config.allow.map((a) => `${a.host}:${a.port}`).join(', ')}`);
  }
  console.log(`Labs, devices and settings are kept in ${store.location}`);
  if (config.database) {
    // Checked, not yet used: the registry still reads the synchronous SQLite store (docs/scaling.md).
    console.log(`--database ${config.database.shown}: not used yet by this version; the store above is SQLite (docs/scaling.md, "Several machines")`);
  }
  if (store.revealAnswers) console.log("The worksheet's answer programs are revealed.");
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: closing every socket and stopping.`);
    app.close().then(
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
