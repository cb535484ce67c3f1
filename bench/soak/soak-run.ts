// The soak itself: starts the server in this process (so the memory figures are this process's:
// the server and the consoles driving it), opens `pairs` pairs of consoles (two devices of one
// lab each, several pairs to a lab), and has both directions of every pair send framed lines
// (bench/soak/frame.ts) until the time is up; then each side shuts its sending half, each
// receiver reads to the end of its stream, and every stream is checked against its sender.

import { startLabServer } from '../../tests/support/lab-server.ts';
import { defaultLimits } from '../../server/limits.ts';
import { StreamChecker, StreamSender } from './frame.ts';
import { buildReport, type MemorySample, type SoakReport } from './report.ts';
import { inBatches, LabClient, openPair, sleep, type ChatPair } from './lab-client.ts';
import type { PySocket } from '../../web/common/net/py-socket.ts';

export interface SoakOptions {
  pairs: number;
  seconds: number;
  /** Pairs in one lab (each pair is two devices). */
  pairsPerLab?: number;
  /** Milliseconds between one stream's lines (each waits for the previous sendall too). */
  intervalMs?: number;
  maxPayload?: number;
  /** How long streams may take to end after the time is up before they count as errors. */
  drainSeconds?: number;
  log?: (line: string) => void;
}

const SHUT_WR = 1;

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const pairsPerLab = options.pairsPerLab ?? 10;
  const intervalMs = options.intervalMs ?? 50;
  const maxPayload = options.maxPayload ?? 200;
  const drainMs = (options.drainSeconds ?? 30) * 1000;
  const log = options.log ?? (() => undefined);
  const limits = {
    ...defaultLimits(),
    consolesPerDevice: 1000,
    socketsPerLab: 100_000,
    socketsPerDevice: 10_000,
    connectionsPerSecond: 10_000,
    messagesPerSecond: 1_000_000,
  };
  const server = await startLabServer({ limits });
  const client = new LabClient(server.baseUrl);
  const errors: string[] = [];
  const memory: MemorySample[] = [];
  const started = performance.now();
  const sample = () => {
    const m = process.memoryUsage();
    memory.push({ t: (performance.now() - started) / 1000, rss: m.rss, heapUsed: m.heapUsed });
  };
  try {
    const labs = await inBatches(Math.ceil(options.pairs / pairsPerLab), 4, () => client.createLab());
    const pairs: ChatPair[] = await inBatches(options.pairs, 8, (i) => openPair(client, labs[Math.floor(i / pairsPerLab)]!, i, 'soak'));
    log(`soak: ${pairs.length} pairs open in ${labs.length} labs, chatting for ${options.seconds} s`);
    sample();
    const sampler = setInterval(sample, Math.max(500, (options.seconds * 1000) / 60));
    let stopped = false;
    const chatStart = performance.now();
    const timer = setTimeout(() => (stopped = true), options.seconds * 1000);

    const writer = async (sock: PySocket, sender: StreamSender, what: string) => {
      try {
        // Spread the first lines out so that the streams do not beat in step.
        await sleep((sender.stream * 7) % intervalMs);
        while (!stopped) {
          await sock.sendall(sender.next());
          await sleep(intervalMs);
        }
      } catch (err) {
        errors.push(`${what} send: ${String(err)}`);
      } finally {
        await sock.shutdown(SHUT_WR).catch((err: unknown) => errors.push(`${what} shutdown: ${String(err)}`));
      }
    };
    const reader = async (sock: PySocket, checker: StreamChecker, what: string) => {
      try {
        for (;;) {
          const chunk = await sock.recv(65536);
          if (chunk.length === 0) return;
          checker.push(chunk);
        }
      } catch (err) {
        errors.push(`${what} recv: ${String(err)}`);
      }
    };
    const streams = pairs.flatMap((p) => [
      { from: p.client, to: p.conn, sender: new StreamSender(p.index * 2, maxPayload), checker: new StreamChecker(), what: `pair ${p.index} client->server` },
      { from: p.conn, to: p.client, sender: new StreamSender(p.index * 2 + 1, maxPayload), checker: new StreamChecker(), what: `pair ${p.index} server->client` },
    ]);
    const running = streams.map((s) => Promise.all([writer(s.from, s.sender, s.what), reader(s.to, s.checker, s.what)]));
    // The bound of the run: the time, then the drain; a stream still open then is an error.
    await new Promise<void>((r) => setTimeout(r, options.seconds * 1000).unref());
    let drainTimer: ReturnType<typeof setTimeout> | undefined;
    const drained = await Promise.race([
      Promise.all(running).then(() => true),
      new Promise<boolean>((r) => (drainTimer = setTimeout(() => r(false), drainMs))),
    ]);
    clearTimeout(drainTimer);
    clearTimeout(timer);
    if (!drained) errors.push(`some streams had not ended ${drainMs / 1000} s after the time was up`);
    const seconds = (performance.now() - chatStart) / 1000;
    sample();
    clearInterval(sampler);
    await Promise.all(pairs.flatMap((p) => p.processes.map((proc) => proc.exit())));
    return buildReport({ pairs: options.pairs, seconds, verdicts: streams.map((s) => s.checker.verdict(s.sender)), errors, memory });
  } finally {
    client.closeAll();
    await server.close();
  }
}
