// Shutdown with live sockets: every page is told the server is going away (1001), and every
// real socket behind the lab closes, so native peers see the end of the connection.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import net from 'node:net';
import WebSocket from 'ws';
import { ProgramProcess } from '../web/common/programs/program-process.ts';
import { startLabServer, waitListening } from './support/lab-server.ts';

test('closing the server closes every WebSocket with 1001 and every lab socket', async () => {
  const server = await startLabServer();
  const code = await server.createLab();
  const session = await server.openConsole(code, 'shutdown-device');
  const p = await ProgramProcess.spawn(session, 'nc', []);
  const listener = await p.socket();
  await listener.bind(['127.0.0.1', 5555]);
  await listener.listen();
  const row = await waitListening(server, code, 5555);
  const native = net.connect({ host: '127.0.0.1', port: row.realPort });
  await new Promise((r) => native.once('connect', r));
  await listener.accept();
  const nativeClosed = new Promise<void>((resolve) => native.once('close', () => resolve()));
  native.on('error', () => {});

  const raw = new WebSocket(server.wsUrl);
  await new Promise((r) => raw.once('open', r));
  const rawClosed = new Promise<[number, string]>((resolve) =>
    raw.once('close', (closeCode, reason) => resolve([closeCode, reason.toString()])),
  );
  await server.close();
  assert.deepEqual(await rawClosed, [1001, 'server shutting down']);
  await nativeClosed;
});
