// The front process reads each new connection's first HTTP request head (request line and
// headers, up to the blank line) to learn which lab it is for, and nothing more: the bytes are
// handed with the connection to the lab's worker, which reads the request itself.

/** Node's own limit on a request head (http.maxHeaderSize); a longer one is refused. */
export const MAX_REQUEST_HEAD_BYTES = 16 * 1024;

const END_OF_HEAD = Buffer.from('\r\n\r\n');

export interface RequestHead {
  /** The request target: path and query (`/ws?lab=ABC234`). */
  target: string;
  /** The Referer header, if any: the page that asked, for requests that name no lab. */
  referer: string | undefined;
  /** Every byte read so far: the head and whatever followed it (a body's start), to hand on. */
  bytes: Buffer;
}

/** Collects a connection's first bytes until its request head is complete. */
export class RequestHeadReader {
  private chunks: Buffer[] = [];
  private length = 0;

  /**
   * Adds bytes just read: the head once it is complete, 'more' while it is not, 'bad' for
   * something that is not an HTTP/1 request head or is longer than MAX_REQUEST_HEAD_BYTES.
   */
  add(chunk: Buffer): RequestHead | 'more' | 'bad' {
    this.chunks.push(chunk);
    this.length += chunk.length;
    const bytes = this.chunks.length === 1 ? chunk : Buffer.concat(this.chunks, this.length);
    this.chunks = [bytes];
    // Search only the bytes that can still hold the end (a chunk may split it).
    const end = bytes.indexOf(END_OF_HEAD, Math.max(0, this.length - chunk.length - END_OF_HEAD.length + 1));
    if (end < 0) return this.length > MAX_REQUEST_HEAD_BYTES ? 'bad' : 'more';
    if (end > MAX_REQUEST_HEAD_BYTES) return 'bad';
    return parseHead(bytes.subarray(0, end).toString('latin1'), bytes) ?? 'bad';
  }
}

function parseHead(text: string, bytes: Buffer): RequestHead | null {
  const lines = text.split('\r\n');
  const request = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(lines[0]!);
  if (!request) return null;
  let referer: string | undefined;
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === 'referer') referer = line.slice(colon + 1).trim();
  }
  return { target: request[2]!, referer, bytes };
}
