import { test, vi } from 'vitest';
import assert from 'node:assert/strict';
import {
  DeviceFiles,
  MAX_DEVICE_BYTES,
  MAX_FILE_BYTES,
  MAX_FILES,
  checkFileName,
  deviceFilesKey,
  isValidFileName,
  type FilesChange,
} from './device-files.ts';
import { MemoryStorage } from './memory-storage.ts';

const SEED = { 'tictactoe.py': 'board = [" "] * 9\n', 'basic_server.py': 'import socket\n' };

test('a new device gets the seed once; files are listed sorted', () => {
  const storage = new MemoryStorage();
  const files = new DeviceFiles(storage, 'AB12', 'key-one', SEED);
  assert.deepEqual(files.list(), ['basic_server.py', 'tictactoe.py']);
  assert.equal(files.read('tictactoe.py'), SEED['tictactoe.py']);
  files.remove('basic_server.py');
  files.remove('tictactoe.py');
  // Deleting everything does not bring the starting points back on the next load.
  const again = new DeviceFiles(storage, 'AB12', 'key-one', SEED);
  assert.deepEqual(again.list(), []);
});

test('files outlive the object (a reload), per lab and per device', () => {
  const storage = new MemoryStorage();
  new DeviceFiles(storage, 'AB12', 'key-one').write('mine.py', 'print("hi")\n');
  assert.equal(new DeviceFiles(storage, 'AB12', 'key-one').read('mine.py'), 'print("hi")\n');
  assert.equal(new DeviceFiles(storage, 'AB12', 'key-two').read('mine.py'), null);
  assert.equal(new DeviceFiles(storage, 'CD34', 'key-one').read('mine.py'), null);
  assert.equal(storage.getItem(deviceFilesKey('AB12', 'key-one') + '/mine.py'), 'print("hi")\n');
});

test('sorted in code point order; other items in the storage are not files', () => {
  const storage = new MemoryStorage();
  storage.setItem('socketlab.device.AB12', 'key-one');
  storage.setItem(deviceFilesKey('AB12', 'key-one') + '/not a file', 'x');
  const files = new DeviceFiles(storage, 'AB12', 'key-one');
  for (const name of ['b.py', 'B.py', 'a_1.py', 'a.py', '_x.py']) files.write(name, name);
  assert.deepEqual(files.list(), ['B.py', '_x.py', 'a.py', 'a_1.py', 'b.py']);
});

test('file names: name.py of letters, digits, _ - and .; others refused with a clear error', () => {
  for (const ok of ['a.py', 'game_server.py', 'chat-quit.v2.py', '9.py', '_.py', 'X'.repeat(61) + '.py']) {
    assert.ok(isValidFileName(ok), ok);
  }
  for (const bad of ['', '.py', 'a', 'a.txt', 'a.PY', '-c.py', '.hidden.py', 'a b.py', '../a.py', 'a/b.py', 'é.py', 'X'.repeat(62) + '.py']) {
    assert.ok(!isValidFileName(bad), bad);
    assert.throws(() => checkFileName(bad), Error);
  }
  const files = new DeviceFiles(new MemoryStorage(), 'AB', 'k');
  assert.throws(() => files.write('notes.txt', ''), /must end in \.py/);
  assert.throws(() => files.write('my file.py', ''), /letters, digits/);
  assert.throws(() => files.write('X'.repeat(70) + '.py', ''), /too long/);
  assert.equal(files.read('../x.py'), null);
  assert.deepEqual(files.list(), []);
});

test('write, read, remove and rename, each told to listeners', () => {
  const files = new DeviceFiles(new MemoryStorage(), 'AB', 'k');
  const seen: FilesChange[] = [];
  const stop = files.onChange((change) => seen.push(change));
  files.write('a.py', 'one');
  files.write('a.py', 'one'); // unchanged: nothing to tell
  files.write('a.py', 'two');
  files.rename('a.py', 'b.py');
  assert.equal(files.read('a.py'), null);
  assert.equal(files.read('b.py'), 'two');
  files.remove('b.py');
  files.remove('b.py'); // not there: nothing
  stop();
  files.write('c.py', '');
  assert.deepEqual(seen, [
    { type: 'write', name: 'a.py' },
    { type: 'write', name: 'a.py' },
    { type: 'rename', from: 'a.py', to: 'b.py' },
    { type: 'remove', name: 'b.py' },
  ]);
  assert.equal(files.read('c.py'), '', 'an empty file is a file');
});

test('rename refuses a missing source, a bad name and an existing target', () => {
  const files = new DeviceFiles(new MemoryStorage(), 'AB', 'k');
  files.write('a.py', 'A');
  files.write('b.py', 'B');
  assert.throws(() => files.rename('zz.py', 'y.py'), /no file "zz.py"/);
  assert.throws(() => files.rename('a.py', 'a'), /must end in \.py/);
  assert.throws(() => files.rename('a.py', 'b.py'), /b\.py already exists/);
  files.rename('a.py', 'a.py');
  assert.deepEqual(files.snapshot(), { 'a.py': 'A', 'b.py': 'B' });
});

test('snapshot is every file, name to text', () => {
  const files = new DeviceFiles(new MemoryStorage(), 'AB', 'k', SEED);
  files.write('game.py', 'import tictactoe\n');
  assert.deepEqual(files.snapshot(), { ...SEED, 'game.py': 'import tictactoe\n' });
});

test('limits: a file, the device, the number of files; nothing changes when refused', () => {
  const files = new DeviceFiles(new MemoryStorage(20_000_000), 'AB', 'k');
  files.write('big.py', 'x'.repeat(MAX_FILE_BYTES));
  assert.throws(() => files.write('big.py', 'x'.repeat(MAX_FILE_BYTES + 1)), /big\.py is too large \(257 KiB\): a file may hold at most 256 KiB/);
  // Bytes are UTF-8 bytes: 'é' is two.
  assert.throws(() => files.write('accents.py', 'é'.repeat(MAX_FILE_BYTES / 2 + 1)), /too large/);
  assert.equal(files.read('big.py')!.length, MAX_FILE_BYTES);
  let i = 0;
  while ((i + 2) * MAX_FILE_BYTES <= MAX_DEVICE_BYTES) files.write(`f${i++}.py`, 'y'.repeat(MAX_FILE_BYTES));
  assert.equal(files.totalBytes(), MAX_DEVICE_BYTES);
  assert.throws(() => files.write('one_more.py', 'z'), /no room for one_more\.py: this device's files may hold 2048 KiB in all/);
  // Replacing a file counts its new size, not both.
  files.write('big.py', 'w'.repeat(MAX_FILE_BYTES));
  files.write('big.py', '');
  files.write('one_more.py', 'z');

  const many = new DeviceFiles(new MemoryStorage(), 'AB', 'k');
  for (let n = 0; n < MAX_FILES; n++) many.write(`m${n}.py`, '');
  assert.throws(() => many.write('extra.py', ''), /already has 200 files/);
  many.write('m0.py', 'still editable');
});

test("a full browser storage is a clear error, and the file is left as it was", () => {
  const storage = new MemoryStorage(1000);
  const files = new DeviceFiles(storage, 'AB', 'k');
  files.write('a.py', 'small');
  assert.throws(() => files.write('a.py', 'x'.repeat(2000)), /browser's storage for this site is full, so a\.py was not saved/);
  assert.equal(files.read('a.py'), 'small');
  assert.throws(() => files.write('b.py', 'x'.repeat(2000)), /full/);
  assert.deepEqual(files.list(), ['a.py']);
});

test('a seed file that does not fit is left out; existing files are kept', () => {
  const storage = new MemoryStorage();
  const early = new DeviceFiles(storage, 'AB', 'k');
  early.write('tictactoe.py', 'my own\n');
  storage.removeItem(early.storageKey); // as if marking had failed
  const files = new DeviceFiles(storage, 'AB', 'k', { ...SEED, 'huge.py': 'x'.repeat(MAX_FILE_BYTES + 1), 'bad name.py': '' });
  assert.deepEqual(files.list(), ['basic_server.py', 'tictactoe.py']);
  assert.equal(files.read('tictactoe.py'), 'my own\n');
});

test("another tab's change (a storage event) is passed on when it is this device's", () => {
  const files = new DeviceFiles(new MemoryStorage(), 'AB', 'k');
  const seen: FilesChange[] = [];
  files.onChange((change) => seen.push(change));
  files.storageChanged('socketlab.device.AB');
  files.storageChanged(deviceFilesKey('AB', 'other') + '/a.py');
  files.storageChanged(deviceFilesKey('AB', 'k') + '/a.py');
  files.storageChanged(null);
  assert.deepEqual(seen, [{ type: 'external' }, { type: 'external' }]);
});

test('a listener that throws does not stop the others', () => {
  const files = new DeviceFiles(new MemoryStorage(), 'AB', 'k');
  const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
  let second = 0;
  files.onChange(() => {
    throw new Error('listener broke');
  });
  files.onChange(() => second++);
  files.write('a.py', '1');
  assert.equal(second, 1);
  assert.equal(files.read('a.py'), '1');
  assert.equal((logged.mock.calls[0]![1] as Error).message, 'listener broke');
});

test('MemoryStorage behaves as the Storage API does', () => {
  const storage = new MemoryStorage(10);
  storage.setItem('a', '1');
  storage.setItem('b', '22');
  assert.equal(storage.length, 2);
  assert.equal(storage.key(0), 'a');
  assert.equal(storage.key(2), null);
  assert.equal(storage.getItem('b'), '22');
  assert.equal(storage.getItem('c'), null);
  assert.throws(() => storage.setItem('c', '1234567'), (err: Error) => err.name === 'QuotaExceededError');
  storage.setItem('b', '2345'); // replacing counts the new value only
  storage.removeItem('a');
  storage.removeItem('a');
  assert.equal(storage.length, 1);
  storage.clear();
  assert.equal(storage.length, 0);
  storage.setItem('k', '12345678'); // the whole quota is free again
});
