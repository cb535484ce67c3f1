// Calls back with each whole line a child process writes to a stream (its log), so a
// harness waits on the line that says the server is ready rather than on a timer.

import type { Readable } from 'node:stream';

export function processLines(stream: Readable, onLine: (line: string) => void): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) onLine(line);
  });
}
