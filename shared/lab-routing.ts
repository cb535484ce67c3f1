// Which lab a request belongs to, read from its URL alone, and which lab worker owns that lab.
// Every URL of a lab names its code (the scheme a front process and HAProxy route by, without
// reading any frame): the page /lab/CODE, the API /api/labs/CODE/..., and ?lab=CODE on the
// bridge's WebSocket (/ws?lab=CODE) and on the Python channel (/api/sync/CHANNEL?lab=CODE and
// its /ws). Pure, so the front, the workers and the tests share one reading.

/** A lab code as a URL may carry it (server/lab/lab-registry.ts makes 6 of these; typed ones may be lower case). */
const CODE = /^[A-Za-z0-9]{1,32}$/;
const LAB_PAGE = /^\/lab\/([^/?#]+)/;
const LAB_API = /^\/api\/labs\/([^/?#]+)/;

/** The query parameter that names the lab on the bridge's and the Python channel's URLs. */
export const LAB_QUERY_PARAM = 'lab';

function code(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    return null;
  }
  return CODE.test(decoded) ? decoded.toUpperCase() : null;
}

/** The lab code in a request target (path and query, as in the request line), or null. */
export function labCodeOfTarget(target: string): string | null {
  const queryAt = target.indexOf('?');
  const path = queryAt < 0 ? target : target.slice(0, queryAt);
  const inPath = LAB_PAGE.exec(path) ?? LAB_API.exec(path);
  if (inPath) return code(inPath[1]);
  if (queryAt < 0) return null;
  for (const pair of target.slice(queryAt + 1).split('&')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq) === LAB_QUERY_PARAM) return code(pair.slice(eq + 1));
  }
  return null;
}

/** The lab of the page that asked (a Referer of http://host/lab/CODE), or null. */
export function labCodeOfReferer(referer: string | undefined): string | null {
  if (!referer) return null;
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/]+(\/[^#]*)?$/i.exec(referer);
  if (!m || !m[1]) return null;
  const path = m[1].split('?')[0]!;
  const page = LAB_PAGE.exec(path);
  return page ? code(page[1]) : null;
}

/** `url` with ?lab=CODE added (the bridge's and the Python channel's URLs). */
export function withLabParam(url: string, labCode: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${LAB_QUERY_PARAM}=${encodeURIComponent(labCode)}`;
}

/**
 * The worker (0 .. workers-1) that owns a lab: FNV-1a of the upper-case code, modulo the
 * number of workers. Stable for a given count, so a lab is found on the same worker after a
 * restart of that worker; a server restarted with another --workers moves labs, which is fine:
 * labs are read back from the store by whichever worker owns them then.
 */
export function workerOfLab(labCode: string, workers: number): number {
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a whole number of at least 1, not ${workers}`);
  let hash = 0x811c9dc5;
  const text = labCode.toUpperCase();
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % workers;
}
