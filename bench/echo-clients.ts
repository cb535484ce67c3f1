// The echo servers' clients (bench/python-servers.ts), in a process of their own so that
// neither the bench's browser driving nor the lab server (in the bench's process) shares
// their thread: N TCP clients on the host, each sending a 64-byte line (63 bytes and '\n') and
// waiting for all 64 bytes back before the next, for a warm-up and then a timed window. The
// same process and code for every server measured. Prints one JSON line: round trips in the
// window (all clients) and each round trip's time.
//
// node --import tsx bench/echo-clients.ts HOST PORT CLIENTS WARMUP_MS WINDOW_MS

import net from 'node:net';

const [host, portText, clientsText, warmupText, windowText] = process.argv.slice(2);
const PORT = Number(portText);
const CLIENTS = Number(clientsText);
const WARMUP_MS = Number(warmupText);
const WINDOW_MS = Number(windowText);
const LINE_BYTES = 64;
const LINE = Buffer.from(`${'x'.repeat(LINE_BYTES - 1)}\n`);

export interface EchoClientsResult {
  roundTrips: number;
  windowMs: number;
  /** Each round trip of the window, in ms. */
  roundTripMs: number[];
  /** Clients whose connection failed or closed early (their error). */
  errors: string[];
}

function connect(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port: PORT, noDelay: true }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** One client's loop until `stopAt`; round trips that end inside [windowStart, stopAt) are kept. */
async function runClient(socket: net.Socket, windowStart: number, stopAt: number, kept: number[]): Promise<void> {
  let pending = 0;
  let sentAt = 0;
  return new Promise((resolve, reject) => {
    const send = () => {
      sentAt = performance.now();
      pending = LINE_BYTES;
      socket.write(LINE);
    };
    socket.on('data', (chunk: Buffer) => {
      pending -= chunk.byteLength;
      if (pending > 0) return;
      const now = performance.now();
      if (now >= windowStart && now < stopAt) kept.push(now - sentAt);
      if (now >= stopAt) {
        socket.end();
        resolve();
      } else send();
    });
    socket.once('error', reject);
    socket.once('close', () => (performance.now() >= stopAt ? resolve() : reject(new Error('closed before the end'))));
    send();
  });
}

async function main(): Promise<void> {
  const sockets = await Promise.all(Array.from({ length: CLIENTS }, connect));
  const windowStart = performance.now() + WARMUP_MS;
  const stopAt = windowStart + WINDOW_MS;
  const kept: number[] = [];
  const errors: string[] = [];
  await Promise.all(sockets.map((s) => runClient(s, windowStart, stopAt, kept).catch((err: Error) => errors.push(err.message))));
  const result: EchoClientsResult = { roundTrips: kept.length, windowMs: WINDOW_MS, roundTripMs: kept, errors };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
