import { onTestFinished, test } from 'vitest';
import assert from 'node:assert/strict';
import { Heartbeat, type Beating } from './heartbeat.ts';

function connection(): Beating & { events: string[] } {
  const events: string[] = [];
  return { events, ping: () => events.push('ping'), terminate: () => events.push('terminate'), closeIdle: () => events.push('idle') };
}

test('a connection that misses a ping is cut at the next round; one that answers is kept', () => {
  let now = 0;
  const heartbeat = new Heartbeat(1000, 0, () => now);
  onTestFinished(() => heartbeat.stop());
  const alive = connection();
  const silent = connection();
  heartbeat.watch(alive);
  heartbeat.watch(silent);
  heartbeat.tick();
  heartbeat.pong(alive);
  heartbeat.tick();
  heartbeat.message(alive); // a message counts as an answer too
  heartbeat.tick();
  assert.deepEqual(alive.events, ['ping', 'ping', 'ping']);
  assert.deepEqual(silent.events, ['ping', 'terminate']);
  assert.equal(heartbeat.watching, 1);
});

test('a console that sent nothing for the idle timeout is closed, however well it answers pings', () => {
  let now = 0;
  const heartbeat = new Heartbeat(1000, 5000, () => now);
  onTestFinished(() => heartbeat.stop());
  const quiet = connection();
  const busy = connection();
  heartbeat.watch(quiet);
  heartbeat.watch(busy);
  for (now = 1000; now <= 6000; now += 1000) {
    heartbeat.tick();
    heartbeat.pong(quiet);
    heartbeat.message(busy);
  }
  assert.equal(quiet.events.at(-1), 'idle');
  assert.ok(!busy.events.includes('idle'));
  const stop = heartbeat.watch(connection());
  stop();
  assert.equal(heartbeat.watching, 1);
});
