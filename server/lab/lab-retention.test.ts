import { onTestFinished, test } from 'vitest';
import assert from 'node:assert/strict';
import { LabStore } from '../store/lab-store.ts';
import { LabRegistry } from './lab-registry.ts';
import { LabRetention } from './lab-retention.ts';

const HOUR_MS = 3_600_000;
const START = 1_800_000_000_000;

/** A registry on an in-memory store, with a clock the test moves. */
function world(retentionMs: number) {
  const clock = { now: START };
  const store = LabStore.open(null);
  const registry = new LabRegistry(store, () => clock.now);
  const removed: string[] = [];
  const retention = new LabRetention({ registry, store, retentionMs, now: () => clock.now, removed: (lab) => removed.push(lab.code) });
  return { clock, store, registry, retention, removed };
}

test('a lab with no console for the retention is removed; one in use, or used since, is not', () => {
  const { clock, store, registry, retention, removed } = world(12 * HOUR_MS);
  onTestFinished(() => store.close());
  const unused = registry.create();
  const open = registry.create();
  open.deviceFor('key-open')!.consoles = 1;
  const reopened = registry.create();
  const device = reopened.deviceFor('key-reopened')!;

  clock.now = START + 11 * HOUR_MS;
  assert.deepEqual(retention.sweep(), []);
  device.lastSeen = clock.now; // a console opened and closed again
  assert.equal(open.devices.get('key-open')!.lastSeen, clock.now, 'a device with a console open is seen at every sweep');

  clock.now = START + 12 * HOUR_MS;
  assert.deepEqual(retention.sweep(), [unused.code]);
  assert.deepEqual(removed, [unused.code]);
  assert.equal(registry.get(unused.code), undefined);
  assert.ok(registry.get(open.code) && registry.get(reopened.code));

  clock.now = START + 23 * HOUR_MS;
  assert.deepEqual(retention.sweep(), [reopened.code]);
  clock.now = START + 100 * HOUR_MS;
  assert.deepEqual(retention.sweep(), [], 'a console open all along keeps its lab');
  open.devices.get('key-open')!.consoles = 0;
  clock.now = START + 112 * HOUR_MS;
  assert.deepEqual(retention.sweep(), [open.code], 'counted from the last sweep that saw it open');
});

test('retention 0 keeps every lab; the sweep still writes last-seen times', () => {
  const { clock, store, registry, retention } = world(0);
  onTestFinished(() => store.close());
  const lab = registry.create();
  lab.deviceFor('key-a')!.lastSeen = START + 5;
  clock.now = START + 1000 * HOUR_MS;
  assert.deepEqual(retention.sweep(), []);
  assert.equal(new LabRegistry(store).get(lab.code)!.deviceFor('key-a')!.lastSeen, START + 5);
});

test('start sweeps at once; a failed sweep is told, not thrown; close stops it', () => {
  const { clock, registry, store } = world(HOUR_MS);
  const lab = registry.create();
  clock.now = START + 2 * HOUR_MS;
  const failures: unknown[] = [];
  let flushes = 0;
  const retention = new LabRetention({
    registry,
    store: {
      flushSeen: () => {
        flushes++;
        throw new Error('disk full');
      },
    },
    retentionMs: HOUR_MS,
    now: () => clock.now,
    failed: (err) => failures.push(err),
  });
  retention.start();
  retention.start();
  assert.equal(flushes, 1, 'a second start does not start a second timer');
  assert.equal(failures.length, 1);
  assert.match(String(failures[0]), /disk full/);
  assert.ok(registry.get(lab.code), 'nothing removed when the sweep could not write');
  retention.close();
  retention.close();
  store.close();
  assert.throws(() => new LabRetention({ registry, store, retentionMs: -1, now: () => 0 }), /retentionMs/);
});
