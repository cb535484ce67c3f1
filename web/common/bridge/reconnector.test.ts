import { test } from 'vitest';
import assert from 'node:assert/strict';
import { FIRST_RETRY_DELAY_MS, MAX_RETRY_DELAY_MS, Reconnector, retryDelayMs, type RetryTimer } from './reconnector.ts';

/** A clock that moves only when told to. */
class FakeTimer implements RetryTimer {
  now = 0;
  private next = 1;
  private readonly due = new Map<number, { at: number; callback: () => void }>();
  set(callback: () => void, delayMs: number): unknown {
    const handle = this.next++;
    this.due.set(handle, { at: this.now + delayMs, callback });
    return handle;
  }
  clear(handle: unknown): void {
    this.due.delete(handle as number);
  }
  get pending(): number {
    return this.due.size;
  }
  /** Moves the clock to the next timer and runs it; returns its delay from before. */
  async fireNext(): Promise<number> {
    const [handle, entry] = [...this.due.entries()].sort((a, b) => a[1].at - b[1].at)[0]!;
    this.due.delete(handle);
    const waited = entry.at - this.now;
    this.now = entry.at;
    entry.callback();
    await new Promise((resolve) => setImmediate(resolve)); // the attempt settles
    return waited;
  }
}

test('delays double from the first to the ceiling; jitter only shortens them', () => {
  assert.equal(retryDelayMs(0, 0), FIRST_RETRY_DELAY_MS);
  assert.equal(retryDelayMs(1, 0), FIRST_RETRY_DELAY_MS * 2);
  assert.equal(retryDelayMs(3, 0), FIRST_RETRY_DELAY_MS * 8);
  assert.equal(retryDelayMs(20, 0), MAX_RETRY_DELAY_MS);
  assert.equal(retryDelayMs(1000, 0), MAX_RETRY_DELAY_MS);
  const jittered = retryDelayMs(10, 0.999);
  assert.ok(jittered >= MAX_RETRY_DELAY_MS / 2 && jittered < MAX_RETRY_DELAY_MS, String(jittered));
});

function harness(outcomes: (string | Error)[], shouldRetry = (err: unknown) => (err as Error).message !== 'fatal') {
  const timer = new FakeTimer();
  const log: string[] = [];
  let attempts = 0;
  const reconnector = new Reconnector<string>({
    connect: async () => {
      const outcome = outcomes[attempts++] ?? new Error('down');
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
    shouldRetry,
    onConnected: (c) => log.push(`connected ${c}`),
    onGaveUp: (err) => log.push(`gave up: ${(err as Error).message}`),
    discard: (c) => log.push(`discarded ${c}`),
    timer,
    random: () => 0,
  });
  return { timer, log, reconnector, attempts: () => attempts };
}

test('retries with growing delays until it connects, then stops', async () => {
  const { timer, log, reconnector, attempts } = harness([new Error('down'), new Error('down'), new Error('down'), 'session']);
  reconnector.start();
  assert.equal(reconnector.active, true);
  const waits = [];
  for (let i = 0; i < 4; i++) waits.push(await timer.fireNext());
  assert.deepEqual(waits, [250, 500, 1000, 2000]);
  assert.deepEqual(log, ['connected session']);
  assert.equal(attempts(), 4);
  assert.equal(reconnector.active, false);
  assert.equal(timer.pending, 0, 'no timer left behind');
});

test('an error that is not worth retrying ends it', async () => {
  const { timer, log, reconnector } = harness([new Error('down'), new Error('fatal')]);
  reconnector.start();
  await timer.fireNext();
  await timer.fireNext();
  assert.deepEqual(log, ['gave up: fatal']);
  assert.equal(timer.pending, 0);
  assert.equal(reconnector.active, false);
});

test('stop() cancels the timer, and a connection that comes after it is discarded', async () => {
  const { timer, log, reconnector, attempts } = harness(['late']);
  reconnector.start();
  reconnector.stop();
  assert.equal(timer.pending, 0);
  assert.equal(attempts(), 0);
  reconnector.tryNow();
  reconnector.stop();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(log, ['discarded late']);
});

test('tryNow() tries at once, and start() again begins with the shortest delay', async () => {
  const { timer, log, reconnector } = harness([new Error('down'), new Error('down'), new Error('down'), 'two']);
  reconnector.start();
  await timer.fireNext();
  await timer.fireNext(); // two delays used up: the next would be 1000 ms
  reconnector.tryNow();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(timer.pending, 1);
  assert.equal(await timer.fireNext(), 2000, 'backoff goes on after an attempt the student asked for');
  assert.deepEqual(log, ['connected two']);
  reconnector.start();
  assert.equal(await timer.fireNext(), FIRST_RETRY_DELAY_MS);
});
