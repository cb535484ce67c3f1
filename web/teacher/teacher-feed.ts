// The teacher's page's end of the live feed (GET /api/teacher/events): read with fetch so the
// token travels in the Authorization header, not in a URL; reconnects by itself with the
// consoles' backoff (common/bridge/reconnector.ts: a little longer after each failure), until
// the page stops it or the token is refused.

import { EventStreamParser } from '../../shared/event-stream.ts';
import type { TeacherSnapshot } from '../../shared/teacher-snapshot.ts';
import { Reconnector } from '../common/bridge/reconnector.ts';

export interface FeedHandlers {
  snapshot(snapshot: TeacherSnapshot): void;
  /** 'live' once a snapshot arrived; 'reconnecting' while the line is down. */
  status(state: 'live' | 'reconnecting', detail: string): void;
  /** The server refused the token (401): the feed has stopped. */
  unauthorized(): void;
  /** The server refused the feed for good (403, 404: a class that is not there, or not this
   * token's), saying why: the feed has stopped. */
  refused(why: string): void;
}

function isSnapshot(value: unknown): value is TeacherSnapshot {
  const s = value as TeacherSnapshot;
  return typeof s === 'object' && s !== null && Array.isArray(s.labs) && Array.isArray(s.joinUrls) && typeof s.revealAnswers === 'boolean' && typeof s.class === 'object';
}

/** The server refused the token (401): trying again cannot help. */
class TokenRefused extends Error {}

/** The server refused what the feed asks for (403, 404): trying again cannot help either. */
class FeedRefused extends Error {}

/** The server's own words, from its JSON `{error}` body (else its status). */
async function refusalOf(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
  return typeof body?.error === 'string' ? body.error : `the server answered ${response.status}`;
}

type FeedReader = ReadableStreamDefaultReader<Uint8Array>;

/** One attempt: the feed's response, open (or why not). */
async function openFeed(token: string, path: string, signal: AbortSignal): Promise<FeedReader> {
  const response = await fetch(path, { headers: { authorization: `Bearer ${token}` }, cache: 'no-store', signal });
  if (response.status === 401) throw new TokenRefused('the token was refused');
  if (response.status === 403 || response.status === 404) throw new FeedRefused(await refusalOf(response));
  if (!response.ok || !response.body) throw new Error(`the server answered ${response.status}`);
  return response.body.getReader();
}

/** Reads snapshots until the stream ends (resolves) or breaks (rejects). */
async function readFeed(reader: FeedReader, handlers: FeedHandlers): Promise<void> {
  const decoder = new TextDecoder();
  const parser = new EventStreamParser();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    for (const event of parser.push(decoder.decode(value, { stream: true }))) {
      if (event.event !== 'snapshot') continue;
      const snapshot: unknown = JSON.parse(event.data);
      if (!isSnapshot(snapshot)) continue;
      handlers.status('live', 'Live');
      handlers.snapshot(snapshot);
    }
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Starts the feed (of the class `path` names: /api/teacher/events?class=ID); the function it returns stops it. */
export function openTeacherFeed(token: string, handlers: FeedHandlers, path = '/api/teacher/events'): () => void {
  const abort = new AbortController();
  /** Why the feed is down, for the status line while it waits to retry. */
  let detail = '';
  const reconnector = new Reconnector<FeedReader>({
    connect: () => openFeed(token, path, abort.signal),
    shouldRetry: (err) => {
      if (err instanceof TokenRefused || err instanceof FeedRefused) return false;
      detail = describe(err);
      return true;
    },
    onConnected: (reader) => {
      readFeed(reader, handlers).then(
        () => lost('the lab server closed the feed'),
        (err: unknown) => lost(describe(err)),
      );
    },
    onGaveUp: (err) => (err instanceof FeedRefused ? handlers.refused(err.message) : handlers.unauthorized()),
    onWaiting: () => handlers.status('reconnecting', `Reconnecting (${detail})…`),
    discard: (reader) => void reader.cancel().catch(() => undefined),
  });
  const lost = (why: string): void => {
    if (abort.signal.aborted) return;
    detail = why;
    reconnector.start();
  };
  reconnector.tryNow();
  return () => {
    abort.abort();
    reconnector.stop();
  };
}
