// Relay throughput (issue 6, item 1): bytes from one console's program to another's through
// the lab (page-side protocol client -> WebSocket -> bridge -> real TCP -> bridge -> WebSocket
// -> client), against a raw node:net pipe on loopback doing the same transfer, and against
// websockify relaying the same bytes from a WebSocket client to a TCP sink.
// Run alone: npx tsx bench/relay-throughput.ts [--quick]

import net from 'node:net';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { figureOf, formatTable, type MeasureRow } from './measure.ts';
import { consolePair, startBenchLab, withTimeout, type BenchLab } from './lab-pair.ts';
import { findWebsockify, sampleThreeWays, startWebsockify } from './websockify.ts';

const KiB = 1024;
const MiB = 1024 * KiB;
/** One transfer may take at most this long. */
const TRANSFER_TIMEOUT_MS = 120_000;

interface Size {
  label: string;
  bytes: number;
  /** Bytes moved per run (full, quick). */
  total: number;
  quickTotal: number;
  goal: boolean;
}

const SIZES: Size[] = [
  { label: '64 B', bytes: 64, total: 2 * MiB, quickTotal: 256 * KiB, goal: false },
  { label: '16 KiB', bytes: 16 * KiB, total: 64 * MiB, quickTotal: 16 * MiB, goal: true },
  { label: '1 MiB', bytes: MiB, total: 64 * MiB, quickTotal: 16 * MiB, goal: true },
];

function message(bytes: number): Uint8Array {
  const m = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) m[i] = i & 0xff;
  return m;
}

function mibPerSecond(bytes: number, ms: number): number {
  return bytes / MiB / (ms / 1000);
}

/** Through the lab: sendall of each message in one program, recv in a loop in the other's. */
async function relayOnce(lab: BenchLab, code: string, index: number, size: number, total: number): Promise<number> {
  const pair = await consolePair(lab, code, index);
  try {
    const msg = message(size);
    const count = total / size;
    const start = performance.now();
    const send = (async () => {
      for (let i = 0; i < count; i++) await pair.client.sendall(msg);
    })();
    const receive = (async () => {
      let got = 0;
      while (got < total) {
        const chunk = await pair.conn.recv(MiB);
        if (chunk.length === 0) throw new Error(`relay: end of stream after ${got} bytes`);
        got += chunk.length;
      }
    })();
    await withTimeout(Promise.all([send, receive]), TRANSFER_TIMEOUT_MS, `relay transfer of ${size}-byte messages`);
    return mibPerSecond(total, performance.now() - start);
  } finally {
    await pair.close();
  }
}

/** A raw node:net pipe on loopback: write each message (waiting for drain), count at the other end. */
async function rawOnce(size: number, total: number): Promise<number> {
  let received: () => void;
  const done = new Promise<void>((r) => (received = r));
  const server = net.createServer((sock) => {
    let got = 0;
    sock.on('data', (d: Buffer) => {
      got += d.length;
      if (got >= total) received();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const client = net.connect({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port });
  await new Promise((r) => client.once('connect', r));
  try {
    const msg = message(size);
    const count = total / size;
    const start = performance.now();
    const send = (async () => {
      for (let i = 0; i < count; i++) {
        if (!client.write(msg)) await new Promise((r) => client.once('drain', r));
      }
    })();
    await withTimeout(Promise.all([send, done]), TRANSFER_TIMEOUT_MS, `raw transfer of ${size}-byte messages`);
    return mibPerSecond(total, performance.now() - start);
  } finally {
    client.destroy();
    server.close();
  }
}

/** Bytes a WebSocket client has handed to ws and not yet seen written, before it waits. */
const WS_CLIENT_WINDOW = 4 * MiB;

/** A WebSocket client sending binary messages through websockify to a TCP sink. */
async function websockifyOnce(path: string, size: number, total: number): Promise<number> {
  let received: () => void;
  const done = new Promise<void>((r) => (received = r));
  const sinkSockets = new Set<net.Socket>();
  const sink = net.createServer((sock) => {
    sinkSockets.add(sock);
    let got = 0;
    sock.on('data', (d: Buffer) => {
      got += d.length;
      if (got >= total) received();
    });
    sock.on('error', () => undefined);
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const relay = await startWebsockify(path, (sink.address() as net.AddressInfo).port);
  const ws = new WebSocket(relay.url, { perMessageDeflate: false });
  try {
    await withTimeout(
      new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      }),
      10_000,
      'connecting to websockify',
    );
    const msg = message(size);
    const count = total / size;
    const start = performance.now();
    const send = (async () => {
      let inFlight = 0;
      let wake: (() => void) | null = null;
      for (let i = 0; i < count; i++) {
        while (inFlight >= WS_CLIENT_WINDOW) await new Promise<void>((r) => (wake = r));
        inFlight += size;
        ws.send(msg, { binary: true }, () => {
          inFlight -= size;
          const w = wake;
          wake = null;
          w?.();
        });
      }
    })();
    await withTimeout(Promise.all([send, done]), TRANSFER_TIMEOUT_MS, `websockify transfer of ${size}-byte messages`);
    return mibPerSecond(total, performance.now() - start);
  } finally {
    ws.terminate();
    for (const s of sinkSockets) s.destroy();
    sink.close();
    await relay.stop();
  }
}

export async function run(options: { quick: boolean }): Promise<MeasureRow[]> {
  const runs = options.quick ? 1 : 3;
  const wsk = await findWebsockify();
  const lab = await startBenchLab();
  const rows: MeasureRow[] = [];
  try {
    const code = await lab.createLab();
    let index = 0;
    for (const size of SIZES) {
      const total = options.quick ? size.quickTotal : size.total;
      const { ours, raw, websockify: wskRuns, websockifyNote: wskNote } = await sampleThreeWays(runs, wsk, {
        ours: () => relayOnce(lab, code, index++, size.bytes, total),
        raw: () => rawOnce(size.bytes, total),
        websockify: (path) => websockifyOnce(path, size.bytes, total),
      });
      const oursFigure = figureOf(ours);
      const rawFigure = figureOf(raw);
      const measure = `throughput ${size.label} messages`;
      const detail = `${total / MiB} MiB per run`;
      rows.push({
        measure,
        unit: 'MiB/s',
        better: 'higher',
        ours: oursFigure,
        baseline: { name: 'raw node:net pipe', figure: rawFigure },
        ...(size.goal ? { goal: 'at least 0.5x the raw pipe', met: oursFigure.median >= 0.5 * rawFigure.median } : {}),
        note: size.goal ? detail : `${detail}; each sendall is a WebSocket message to the server and each recv a credit back, where a raw write only copies into the kernel`,
      });
      const wskFigure = wskRuns.length > 0 ? figureOf(wskRuns) : null;
      rows.push({
        measure,
        unit: 'MiB/s',
        better: 'higher',
        ours: oursFigure,
        baseline: wskFigure ? { name: 'websockify', figure: wskFigure } : null,
        ...(size.goal && wskFigure ? { goal: 'at least 3x websockify', met: oursFigure.median >= 3 * wskFigure.median } : {}),
        ...(size.goal && !wskFigure ? { goal: 'at least 3x websockify', met: false } : {}),
        note: [detail, 'websockify: one WebSocket hop to a TCP sink; ours: two hops and real TCP between', wskNote].filter(Boolean).join('; '),
      });
    }
  } finally {
    await lab.close();
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await run({ quick: process.argv.includes('--quick') });
  console.log(formatTable(rows));
}
