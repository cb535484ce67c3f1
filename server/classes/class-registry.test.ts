import { onTestFinished, test } from 'vitest';
import assert from 'node:assert/strict';
import { DEFAULT_CLASS_ID, LabStore } from '../store/lab-store.ts';
import { LabRegistry } from '../lab/lab-registry.ts';
import { ClassRefusal, ClassRegistry } from './class-registry.ts';
import { classJoinUrl } from './class-urls.ts';

function memoryStore(): LabStore {
  const store = LabStore.open(null);
  onTestFinished(() => store.close());
  return store;
}

test('a new store has the default class alone: no token, no slug, its switch the old setting', () => {
  const store = memoryStore();
  const classes = new ClassRegistry(store);
  assert.deepEqual(
    classes.all().map((c) => [c.id, c.name, c.slug, c.token, c.revealAnswers]),
    [[DEFAULT_CLASS_ID, 'Default class', '', null, false]],
  );
  store.setRevealAnswers(true);
  assert.equal(new ClassRegistry(store).defaultClass.revealAnswers, true);
  assert.equal(store.revealAnswers, true);
});

test('classes are made with a slug and a token of their own, and read back the same', () => {
  const store = memoryStore();
  const classes = new ClassRegistry(store, () => 42);
  const a = classes.create('10B Networks');
  const b = classes.create('10B-Networks!');
  assert.equal(a.slug, '10b-networks');
  assert.equal(b.slug, '10b-networks-2');
  assert.match(a.token!, /^[A-Za-z0-9_-]{32}$/);
  assert.notEqual(a.token, b.token);
  assert.equal(a.createdAt, 42);
  assert.equal(classes.bySlug('10b-networks-2'), b);
  assert.equal(classes.bySlug(''), undefined, 'the default class has no /class/ URL');
  assert.equal(classes.byToken(a.token), a);
  assert.equal(classes.byToken('not-a-token'), undefined);
  assert.equal(classes.byToken(null), undefined);
  const again = new ClassRegistry(store);
  assert.deepEqual(again.all(), classes.all());
});

test('names: refused empty, too long or taken (whatever the case and spacing)', () => {
  const classes = new ClassRegistry(memoryStore());
  classes.create('Period 3');
  for (const [name, status] of [['', 400], ['x'.repeat(61), 400], ['period  3', 409], [' PERIOD 3 ', 409], ['default CLASS', 409]] as const) {
    assert.throws(() => classes.create(name), (err: unknown) => err instanceof ClassRefusal && err.status === status, name);
  }
  assert.equal(classes.all().length, 2);
});

test('each class has its own reveal switch, kept; anyRevealed says whether the answers file may be served', () => {
  const store = memoryStore();
  const classes = new ClassRegistry(store);
  const a = classes.create('A');
  assert.equal(classes.anyRevealed(), false);
  classes.setRevealAnswers(a.id, true);
  assert.equal(classes.revealed(a.id), true);
  assert.equal(classes.revealed(DEFAULT_CLASS_ID), false);
  assert.equal(classes.revealed(9999), false, "an unknown class: as the default class's");
  assert.equal(classes.anyRevealed(), true);
  assert.equal(new ClassRegistry(store).get(a.id)!.revealAnswers, true);
  assert.equal(store.revealAnswers, false);
});

test('labs are made in a class and read back in it; results are read per class', () => {
  const store = memoryStore();
  const classes = new ClassRegistry(store);
  const a = classes.create('A');
  const registry = new LabRegistry(store);
  const inA = registry.create(a.id);
  const plain = registry.create();
  assert.equal(plain.classId, DEFAULT_CLASS_ID);
  const back = new LabRegistry(store);
  assert.equal(back.get(inA.code)!.classId, a.id);
  assert.equal(back.get(plain.code)!.classId, DEFAULT_CLASS_ID);
  for (const lab of [inA, plain]) {
    const device = lab.deviceFor(`key-${lab.code}`)!;
    store.saveCheckResult({ lab: lab.code, deviceId: device.id, question: 6, passed: true, scenarios: [{ name: 's', passed: true }], at: 1 });
  }
  assert.deepEqual(store.checkResults(a.id).map((r) => r.lab), [inA.code]);
  assert.deepEqual(store.checkResults(DEFAULT_CLASS_ID).map((r) => r.lab), [plain.code]);
  assert.equal(store.checkResults().length, 2);
  store.removeEndedLab(inA.code, 5);
  assert.deepEqual(store.checkResults(a.id).map((r) => [r.lab, r.labEnded]), [[inA.code, true]]);
  assert.deepEqual(store.checkResults(DEFAULT_CLASS_ID).map((r) => r.lab), [plain.code]);
});

test('join URLs: / for the default class, /class/SLUG for another', () => {
  assert.equal(classJoinUrl('http://10.0.0.5:8080/', { slug: '' }), 'http://10.0.0.5:8080/');
  assert.equal(classJoinUrl('http://10.0.0.5:8080/', { slug: '10b' }), 'http://10.0.0.5:8080/class/10b');
});

test('copies sharing a store (lab workers) find a class another made on a miss, and refuse its name; an unshared copy does not read again', () => {
  const store = memoryStore();
  const one = new ClassRegistry(store, Date.now, true);
  const two = new ClassRegistry(store, Date.now, true);
  const three = new ClassRegistry(store, Date.now, true);
  const unshared = new ClassRegistry(store);
  const made = one.create('Shared class');
  assert.equal(two.bySlug(made.slug)?.id, made.id);
  assert.equal(two.byToken(made.token)?.id, made.id);
  assert.equal(two.get(made.id)?.name, 'Shared class');
  assert.equal(unshared.bySlug(made.slug), undefined, 'one process: nothing else writes classes');
  const again = one.create('Second shared');
  assert.deepEqual(two.all().map((c) => c.name), ['Default class', 'Shared class', 'Second shared']);
  assert.throws(() => three.create('second SHARED'), ClassRefusal, 'a name another copy took is refused with a reason');
  // A switch changed by another copy: heard over IPC, never read on a hit.
  one.setRevealAnswers(again.id, true);
  assert.equal(two.revealed(again.id), false);
  assert.equal(two.heardRevealAnswers(again.id, true), true);
  assert.equal(two.revealed(again.id), true);
  assert.equal(two.heardRevealAnswers(9999, true), false);
});
