// What the benchmarks' programs do with an Endpoint, written once for the lab and both
// baselines: send a stream, read it to its end, ping-pong, echo, and the scale bench's chat.

import type { Endpoint } from './endpoints.ts';

const MiB = 1024 * 1024;

export function message(bytes: number): Uint8Array {
  const m = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) m[i] = i & 0xff;
  return m;
}

/** sendall of `total / size` messages of `size` bytes. */
export async function sendStream(ep: Endpoint, size: number, total: number): Promise<void> {
  const msg = message(size);
  for (let sent = 0; sent < total; sent += size) await ep.sendall(msg);
}

/** recv(1 MiB) until `total` bytes have come. */
export async function readStream(ep: Endpoint, total: number): Promise<void> {
  for (let got = 0; got < total; ) {
    const chunk = await ep.recv(MiB);
    if (chunk.length === 0) throw new Error(`end of stream after ${got} of ${total} bytes`);
    got += chunk.length;
  }
}

async function recvExactly(ep: Endpoint, n: number): Promise<void> {
  for (let got = 0; got < n; ) {
    const chunk = await ep.recv(n - got);
    if (chunk.length === 0) throw new Error('end of stream in a ping-pong');
    got += chunk.length;
  }
}

/** The ping side: `warmup + rounds` round trips of `size` bytes; the last `rounds` timed, in ms. */
export async function ping(ep: Endpoint, size: number, rounds: number, warmup: number): Promise<number[]> {
  const msg = message(size);
  const samples: number[] = [];
  for (let i = 0; i < warmup + rounds; i++) {
    const t = performance.now();
    await ep.sendall(msg);
    await recvExactly(ep, size);
    if (i >= warmup) samples.push(performance.now() - t);
  }
  return samples;
}

/** The echo side: sends back whatever comes, until the end of the stream (or the endpoint fails). */
export async function echo(ep: Endpoint): Promise<void> {
  for (;;) {
    const chunk = await ep.recv(64 * 1024);
    if (chunk.length === 0) return;
    await ep.sendall(chunk);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The scale bench's chatter: a numbered line every `periodMs` (first after a random part of a
 * period, so pairs do not beat in step), each reply's round trip given to `onSample` while it
 * is set. Stops when `stopped()` says so; its errors reject.
 */
export function chat(ep: Endpoint, periodMs: number, onReply: (ms: number) => void, stopped: () => boolean): Promise<void> {
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const sentAt = new Map<number, number>();
  const reading = (async () => {
    let pending = '';
    for (;;) {
      const chunk = await ep.recv(65536);
      if (chunk.length === 0 || stopped()) return;
      pending += dec.decode(chunk);
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const seq = Number(pending.slice(0, nl).split(' ')[0]);
        pending = pending.slice(nl + 1);
        const t = sentAt.get(seq);
        sentAt.delete(seq);
        if (t !== undefined) onReply(performance.now() - t);
      }
    }
  })();
  const sending = (async () => {
    await sleep(Math.random() * periodMs);
    const start = performance.now();
    for (let seq = 0; !stopped(); seq++) {
      const wait = start + seq * periodMs - performance.now();
      if (wait > 0) await sleep(wait);
      if (stopped()) return;
      sentAt.set(seq, performance.now());
      await ep.sendall(enc.encode(`${seq} ${'x'.repeat(32)}\n`));
    }
  })();
  return Promise.all([reading, sending]).then(() => undefined);
}
