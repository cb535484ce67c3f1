// The lab server for the relay benchmarks, in a process of its own (as on a teacher's laptop,
// where the pages run elsewhere): started by bench/lab-pair.ts, prints its URL as one JSON
// line, and stops when its stdin closes or on SIGTERM. The message-rate limits are raised:
// they guard against a flooding page, and at benchmark rates they would refuse frames.

import { defaultLimits } from '../server/limits.ts';
import { startLabServer } from '../tests/support/lab-server.ts';

const server = await startLabServer({
  limits: { ...defaultLimits(), messagesPerSecond: 1_000_000_000, connectionsPerSecond: 100_000 },
});
process.stdout.write(`${JSON.stringify({ baseUrl: server.baseUrl })}\n`);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close().catch(() => undefined);
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
