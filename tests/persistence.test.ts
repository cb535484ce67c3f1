// "Nothing lost": labs, devices and settings survive a restart of the server (the same data
// folder), and a data folder that cannot be used stops start-up with a clear message.

import { onTestFinished, test } from 'vitest';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLabServer } from './support/lab-server.ts';
import { buildApp } from '../server/app.ts';
import { baseConfig, type ServerConfig } from '../server/config.ts';
import { DB_FILE, StoreError } from '../server/store/lab-store.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'socket-lab-persist-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function config(dataDir: string): ServerConfig {
  return { ...baseConfig({}, null), host: '127.0.0.1', port: 0, realPorts: 'any', logLevel: 'silent', dataDir };
}

async function revealed(baseUrl: string): Promise<boolean> {
  return ((await (await fetch(`${baseUrl}/api/settings`)).json()) as { revealAnswers: boolean }).revealAnswers;
}

test('a restart keeps labs, their codes, devices and their addresses, and the reveal switch', async () => {
  const dataDir = join(tempDir(), 'data');

  const first = await startLabServer({ dataDir, revealAnswers: true });
  const codeA = await first.createLab();
  const codeB = await first.createLab();
  const one = await first.openConsole(codeA, 'device-one-aaaaaaaa');
  const two = await first.openConsole(codeA, 'device-two-bbbbbbbb');
  const other = await first.openConsole(codeB, 'device-one-aaaaaaaa');
  const numberA = first.registry.get(codeA)!.number;
  const numberB = first.registry.get(codeB)!.number;
  assert.deepEqual([one.welcome.device.id, two.welcome.device.id, other.welcome.device.id], [1, 2, 1]);
  assert.equal(await revealed(first.baseUrl), true);
  await first.close();

  // No --reveal-answers this time: the stored switch stays on.
  const second = await startLabServer({ dataDir, revealAnswers: false });
  onTestFinished(() => second.close());
  assert.equal(await revealed(second.baseUrl), true, 'the reveal switch is a stored setting');
  for (const code of [codeA, codeB, codeA.toLowerCase()]) {
    const res = await fetch(`${second.baseUrl}/api/labs/${code}`);
    assert.equal(res.status, 200, `lab ${code} is still there`);
  }
  assert.equal(second.registry.get(codeA)!.number, numberA);
  assert.equal(second.registry.get(codeB)!.number, numberB);

  // The same browser (device key) gets the same device and lab address.
  const oneAgain = await second.openConsole(codeA, 'device-one-aaaaaaaa');
  const twoAgain = await second.openConsole(codeA, 'device-two-bbbbbbbb');
  const otherAgain = await second.openConsole(codeB, 'device-one-aaaaaaaa');
  assert.deepEqual(oneAgain.welcome.device, one.welcome.device);
  assert.deepEqual(twoAgain.welcome.device, two.welcome.device);
  assert.deepEqual(otherAgain.welcome.device, other.welcome.device);
  assert.equal(oneAgain.welcome.revealAnswers, true);

  // A new device continues the numbering; a new lab gets a new number and code.
  const three = await second.openConsole(codeA, 'device-three-cccccccc');
  assert.equal(three.welcome.device.id, 3);
  assert.notEqual(three.welcome.device.address, one.welcome.device.address);
  assert.notEqual(three.welcome.device.address, two.welcome.device.address);
  const codeC = await second.createLab();
  assert.ok(![codeA, codeB].includes(codeC));
  const numberC = second.registry.get(codeC)!.number;
  assert.ok(numberC !== numberA && numberC !== numberB, 'lab numbers stay unique');
  const inC = await second.openConsole(codeC, 'device-one-aaaaaaaa');
  assert.notEqual(inC.welcome.device.address, one.welcome.device.address, 'the new lab has its own addresses');

  // Programs that were running are gone, as after a reboot.
  const rows = await (await fetch(`${second.baseUrl}/api/labs/${codeA}/netstat`)).json();
  assert.deepEqual(rows, []);
});

test('the reveal switch starts off in a new data folder', async () => {
  const server = await startLabServer({ dataDir: tempDir(), revealAnswers: false });
  onTestFinished(() => server.close());
  assert.equal(await revealed(server.baseUrl), false);
});

test('a corrupt database file stops start-up with a clear message, and is left alone', async () => {
  const dataDir = tempDir();
  const garbage = 'this is not a database, just garbage '.repeat(200);
  writeFileSync(join(dataDir, DB_FILE), garbage);
  await assert.rejects(buildApp(config(dataDir)), (err: unknown) => {
    assert.ok(err instanceof StoreError, String(err));
    assert.match(err.message, new RegExp(`${DB_FILE}.*corrupt`));
    assert.ok(err.message.includes(dataDir), 'names the file');
    return true;
  });
  assert.equal(readFileSync(join(dataDir, DB_FILE), 'utf8'), garbage, 'the file is not replaced by a fresh database');
});

test('a data folder that cannot be created stops start-up with a clear message', async () => {
  const base = tempDir();
  writeFileSync(join(base, 'file.txt'), 'a regular file');
  // A folder under a regular file cannot be made, even by root.
  const dataDir = join(base, 'file.txt', 'data');
  await assert.rejects(buildApp(config(dataDir)), (err: unknown) => {
    assert.ok(err instanceof StoreError, String(err));
    assert.match(err.message, /data folder .* cannot be created or written/);
    assert.ok(err.message.includes(dataDir), 'names the folder');
    return true;
  });
});

test('npm start with an unusable data folder prints the reason and exits with code 1', () => {
  const base = tempDir();
  writeFileSync(join(base, 'file.txt'), 'a regular file');
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts', '--port', '0', '--data', join(base, 'file.txt', 'data')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, /^socket-lab: data folder .* cannot be created or written/m);
  assert.doesNotMatch(run.stdout, /is running/);
});
