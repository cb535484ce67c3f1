// The Origin check of the routes a page reaches with its own requests (the bridge's WebSocket,
// the Python channel's POST and WebSocket): another site's page open in the student's browser
// must not drive the lab. A route takes it as its onRequest hook, so the 403 goes out before
// any upgrade or body.

import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Is the request's Origin the server's own? Same origin means the Origin's host (name or
 * address and port, whatever the student typed) is the request's Host header. A request with
 * no Origin comes from a non-browser client (a Node test, a native program): browsers always
 * send Origin with a WebSocket upgrade and with a POST, so a cross-site page cannot omit it,
 * and a program outside the browser could send any Origin anyway. `Origin: null` (sandboxed
 * frames, file: pages) is refused.
 */
export function isSameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  if (!host) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  // An Origin is exactly scheme://host[:port]; anything more (a path, credentials) is not one.
  if (url.pathname !== '/' || url.username || url.password || url.search || url.hash) return false;
  let own: URL;
  try {
    own = new URL(`${url.protocol}//${host}`);
  } catch {
    return false;
  }
  if (own.pathname !== '/' || own.username || own.password) return false;
  return own.host === url.host; // URL lower-cases names and drops the scheme's default port on both
}

/** A route hook refusing, with 403 and before any upgrade, a request from another site's page. */
export async function refuseOtherOrigins(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const origin = req.headers.origin;
  if (!isSameOrigin(Array.isArray(origin) ? origin[0] : origin, req.headers.host)) {
    await reply.code(403).type('text/plain; charset=utf-8').send('forbidden: this request comes from another site\'s page');
  }
}
