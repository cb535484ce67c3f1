// Waits until a CPython peer on the host is listening, by reading the kernel's own table
// (/proc/net/tcp), so that no probe connection is ever made to it (a probe would be accepted
// as the program's one client).

import { readFile } from 'node:fs/promises';

const TCP_LISTEN = '0A';

async function isListening(port: number): Promise<boolean> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === TCP_LISTEN) return true;
    }
  }
  return false;
}

export async function waitHostListening(port: number, limitMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!(await isListening(port))) {
    if (Date.now() - start > limitMs) throw new Error(`nothing listened on host port ${port}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
