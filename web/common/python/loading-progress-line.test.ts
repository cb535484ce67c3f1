// The loading line is drawn and erased in place: what a person sees afterwards (the console's
// transcript) has no trace of it, and the console knows its cursor is at a line's start.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { LineDiscipline } from '../console/line-discipline.ts';
import { Transcript } from '../console/transcript.ts';
import { LoadingProgressLine } from './loading-progress-line.ts';

test('shows the percentage in place, then leaves nothing behind', () => {
  const transcript = new Transcript();
  const console = new LineDiscipline((text) => transcript.append(text));
  console.write('10.1.0.2$ python basic_server.py\n');
  const line = new LoadingProgressLine((text) => console.write(text));
  line.show(0);
  assert.equal(transcript.text(), '10.1.0.2$ python basic_server.py\nLoading Python… 0%');
  line.show(0.421);
  line.show(0.425); // the same percentage: nothing drawn
  assert.equal(transcript.text(), '10.1.0.2$ python basic_server.py\nLoading Python… 42%');
  line.show(1);
  assert.equal(transcript.text(), '10.1.0.2$ python basic_server.py\nLoading Python… 100%');
  line.clear();
  assert.equal(transcript.text(), '10.1.0.2$ python basic_server.py\n');
  assert.equal(console.atLineStart, true);
  line.show(0.5); // after clear(): nothing
  console.write("Connected to: ('127.0.0.1', 50831)\n");
  assert.equal(transcript.text(), "10.1.0.2$ python basic_server.py\nConnected to: ('127.0.0.1', 50831)\n");
});

test('a worker that was loaded already: no line at all', () => {
  const written: string[] = [];
  new LoadingProgressLine((text) => written.push(text)).clear();
  assert.deepEqual(written, []);
});
