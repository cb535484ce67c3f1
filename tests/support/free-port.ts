// A loopback TCP port free now, for a server that cannot listen on port 0 itself and say
// which it got (PostgreSQL, HAProxy; in the bench websockify and python3 peers). Another
// process may take it before that server binds: the harnesses that use it try again with
// another port when the bind fails.

import { createServer } from 'node:net';

/** Whether a loopback TCP port can be bound now (nothing listens on it). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
