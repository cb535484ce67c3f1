// Relay latency (issue 6, item 2): 64-byte ping-pong round trips between two consoles'
// programs through the lab, p50 and p99, with 1, 10 and 80 pairs busy at once (each pair its
// own two consoles, as two students' tabs), against raw TCP echo pairs on loopback and against
// WebSocket clients pinging a TCP echo server through websockify.
// Run alone: npx tsx bench/relay-latency.ts [--quick]

import net from 'node:net';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { figureOf, formatTable, percentile, type MeasureRow } from './measure.ts';
import { consolePair, startBenchLab, withTimeout, type BenchLab, type ConsolePair } from './lab-pair.ts';
import { findWebsockify, sampleThreeWays, startWebsockify } from './websockify.ts';

const PING_BYTES = 64;
/** Round trips each pair does before its samples count. */
const WARMUP = 10;
/** One run (all pairs' round trips) may take at most this long. */
const RUN_TIMEOUT_MS = 120_000;

/** Round trips per pair: about the same total, at least 100 per pair (quick: far fewer). */
function roundsPerPair(pairs: number, quick: boolean): number {
  return quick ? Math.max(20, Math.floor(300 / pairs)) : Math.max(100, Math.floor(3000 / pairs));
}

const PING = new Uint8Array(PING_BYTES).fill(0x2a);

interface Percentiles {
  p50: number;
  p99: number;
}

function summarize(samples: number[]): Percentiles {
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** `pairs` console pairs ping-ponging 64 bytes at once; round trips in ms, seen from the client. */
async function relayOnce(lab: BenchLab, pairs: number, rounds: number, runIndex: number): Promise<Percentiles> {
  const code = await lab.createLab();
  const opened: ConsolePair[] = [];
  try {
    for (let i = 0; i < pairs; i++) opened.push(await consolePair(lab, code, runIndex * 1000 + i));
    const samples: number[] = [];
    const recvExactly = async (sock: ConsolePair['conn'], n: number) => {
      let got = 0;
      while (got < n) {
        const chunk = await sock.recv(n - got);
        if (chunk.length === 0) throw new Error('relay: end of stream in a ping-pong');
        got += chunk.length;
      }
    };
    const one = async (pair: ConsolePair) => {
      const echo = (async () => {
        for (let i = 0; i < WARMUP + rounds; i++) {
          await recvExactly(pair.conn, PING_BYTES);
          await pair.conn.sendall(PING);
        }
      })();
      for (let i = 0; i < WARMUP + rounds; i++) {
        const t = performance.now();
        await pair.client.sendall(PING);
        await recvExactly(pair.client, PING_BYTES);
        if (i >= WARMUP) samples.push(performance.now() - t);
      }
      await echo;
    };
    await withTimeout(Promise.all(opened.map(one)), RUN_TIMEOUT_MS, `relay ping-pong with ${pairs} pairs`);
    return summarize(samples);
  } finally {
    for (const p of opened) await p.close();
  }
}

/** A pinger's side of a byte-stream echo: resolves when `n` bytes have come back. */
class Collector {
  private got = 0;
  private want = 0;
  private done: (() => void) | null = null;
  add(n: number): void {
    this.got += n;
    if (this.done && this.got >= this.want) {
      const d = this.done;
      this.done = null;
      d();
    }
  }
  until(total: number): Promise<void> {
    this.want = total;
    if (this.got >= total) return Promise.resolve();
    return new Promise((r) => (this.done = r));
  }
}

/** An echo server on loopback: writes back whatever it reads. */
async function echoServer(): Promise<{ port: number; close(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('data', (d: Buffer) => sock.write(d));
    sock.on('error', () => undefined);
    sock.on('close', () => sockets.delete(sock));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

async function pingPong(pairs: number, rounds: number, send: (i: number) => void, collectors: Collector[]): Promise<number[]> {
  const samples: number[] = [];
  const one = async (i: number) => {
    for (let r = 0; r < WARMUP + rounds; r++) {
      const t = performance.now();
      send(i);
      await collectors[i]!.until((r + 1) * PING_BYTES);
      if (r >= WARMUP) samples.push(performance.now() - t);
    }
  };
  await withTimeout(Promise.all(Array.from({ length: pairs }, (_, i) => one(i))), RUN_TIMEOUT_MS, `ping-pong with ${pairs} pairs`);
  return samples;
}

/** Raw TCP: `pairs` node:net clients pinging an echo server on loopback. */
async function rawOnce(pairs: number, rounds: number): Promise<Percentiles> {
  const echo = await echoServer();
  const clients: net.Socket[] = [];
  try {
    const collectors = Array.from({ length: pairs }, () => new Collector());
    for (let i = 0; i < pairs; i++) {
      const c = net.connect({ host: '127.0.0.1', port: echo.port });
      await new Promise((r) => c.once('connect', r));
      c.on('data', (d: Buffer) => collectors[i]!.add(d.length));
      clients.push(c);
    }
    return summarize(await pingPong(pairs, rounds, (i) => clients[i]!.write(PING), collectors));
  } finally {
    for (const c of clients) c.destroy();
    echo.close();
  }
}

/** websockify: `pairs` WebSocket clients pinging a TCP echo server through it. */
async function websockifyOnce(path: string, pairs: number, rounds: number): Promise<Percentiles> {
  const echo = await echoServer();
  const relay = await startWebsockify(path, echo.port);
  const clients: WebSocket[] = [];
  try {
    const collectors = Array.from({ length: pairs }, () => new Collector());
    for (let i = 0; i < pairs; i++) {
      const ws = new WebSocket(relay.url, { perMessageDeflate: false });
      clients.push(ws);
      await withTimeout(
        new Promise((resolve, reject) => {
          ws.once('open', resolve);
          ws.once('error', reject);
        }),
        10_000,
        'connecting to websockify',
      );
      ws.on('message', (d: Buffer) => collectors[i]!.add(d.length));
    }
    return summarize(await pingPong(pairs, rounds, (i) => clients[i]!.send(PING, { binary: true }), collectors));
  } finally {
    for (const ws of clients) ws.terminate();
    echo.close();
    await relay.stop();
  }
}

export async function run(options: { quick: boolean }): Promise<MeasureRow[]> {
  const runs = options.quick ? 1 : 3;
  const wsk = await findWebsockify();
  const lab = await startBenchLab();
  const rows: MeasureRow[] = [];
  let runIndex = 0;
  try {
    for (const pairs of [1, 10, 80]) {
      const rounds = roundsPerPair(pairs, options.quick);
      const { ours, raw, websockify: wskRuns, websockifyNote: wskNote } = await sampleThreeWays(runs, wsk, {
        ours: () => relayOnce(lab, pairs, rounds, runIndex++),
        raw: () => rawOnce(pairs, rounds),
        websockify: (path) => websockifyOnce(path, pairs, rounds),
      });
      const detail = `${pairs} pair${pairs > 1 ? 's' : ''} x ${rounds} round trips per run`;
      for (const p of ['p50', 'p99'] as const) {
        const measure = `round trip 64 B, ${pairs} pair${pairs > 1 ? 's' : ''} busy, ${p}`;
        const oursFigure = figureOf(ours.map((x) => x[p]));
        const gated = p === 'p99' && pairs === 80;
        rows.push({
          measure,
          unit: 'ms',
          better: 'lower',
          ours: oursFigure,
          baseline: { name: 'raw TCP', figure: figureOf(raw.map((x) => x[p])) },
          ...(gated ? { goal: 'at most 2 ms', met: oursFigure.median <= 2 } : {}),
          note: detail,
        });
        const wskFigure = wskRuns.length > 0 ? figureOf(wskRuns.map((x) => x[p])) : null;
        rows.push({
          measure,
          unit: 'ms',
          better: 'lower',
          ours: oursFigure,
          baseline: wskFigure ? { name: 'websockify', figure: wskFigure } : null,
          ...(gated ? { goal: 'at most 0.5x websockify', met: wskFigure !== null && oursFigure.median <= 0.5 * wskFigure.median } : {}),
          ...(wskNote ? { note: wskNote } : {}),
        });
      }
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
