import { onTestFinished, test } from 'vitest';
import assert from 'node:assert/strict';
import type { TeacherSnapshot } from '../../shared/teacher-snapshot.ts';
import { SnapshotFeed, type FeedSubscriber } from './snapshot-feed.ts';

function recorder(): FeedSubscriber & { got: string[]; ended: boolean } {
  const r = {
    got: [] as string[],
    ended: false,
    snapshot: (json: string) => r.got.push(json),
    keepAlive: () => r.got.push('keep-alive'),
    end: () => (r.ended = true),
  };
  return r;
}

test('sends at once, then only what changed; stops its timer with its last listener', () => {
  let reveal = false;
  let clock = 0;
  const feed = new SnapshotFeed({
    build: (): TeacherSnapshot => ({ now: ++clock, class: { id: 1, name: 'Default class', isDefault: true }, joinUrls: [], revealAnswers: reveal, labs: [] }),
    intervalMs: 60_000,
    keepAliveMs: 60_000,
    maxSubscribers: 1,
  });
  onTestFinished(() => feed.close());
  const a = recorder();
  assert.ok(feed.subscribe(a));
  assert.equal(a.got.length, 1);
  assert.ok(!feed.subscribe(recorder()), 'one listener at most here');
  feed.poke();
  assert.equal(a.got.length, 1, 'only the clock changed: nothing sent');
  reveal = true;
  feed.poke();
  assert.equal(a.got.length, 2);
  assert.equal((JSON.parse(a.got[1]!) as TeacherSnapshot).revealAnswers, true);
  feed.unsubscribe(a);
  assert.equal(feed.size, 0);
  const b = recorder();
  assert.ok(feed.subscribe(b));
  feed.close();
  assert.ok(b.ended);
  assert.ok(!feed.subscribe(recorder()), 'closed: no more listeners');
});
