// The teacher's page's end of the live feed (GET /api/teacher/events): read with fetch so the
// token travels in the Authorization header, not in a URL; reconnects by itself, waiting a
// little longer after each failure, until the page stops it or the token is refused.

import { EventStreamParser } from '../../shared/event-stream.ts';
import type { TeacherSnapshot } from '../../shared/teacher-snapshot.ts';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 10_000;

export interface FeedHandlers {
  snapshot(snapshot: TeacherSnapshot): void;
  /** 'live' once a snapshot arrived; 'reconnecting' while the line is down. */
  status(state: 'live' | 'reconnecting', detail: string): void;
  /** The server refused the token (401): the feed has stopped. */
  unauthorized(): void;
}

function isSnapshot(value: unknown): value is TeacherSnapshot {
  const s = value as TeacherSnapshot;
  return typeof s === 'object' && s !== null && Array.isArray(s.labs) && Array.isArray(s.joinUrls) && typeof s.revealAnswers === 'boolean';
}

/** Starts the feed; the function it returns stops it. */
export function openTeacherFeed(token: string, handlers: FeedHandlers): () => void {
  const abort = new AbortController();
  let retryMs = FIRST_RETRY_MS;

  const readOnce = async (): Promise<'again' | 'stop'> => {
    const response = await fetch('/api/teacher/events', { headers: { authorization: `Bearer ${token}` }, cache: 'no-store', signal: abort.signal });
    if (response.status === 401) {
      handlers.unauthorized();
      return 'stop';
    }
    if (!response.ok || !response.body) throw new Error(`the server answered ${response.status}`);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const parser = new EventStreamParser();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return 'again';
      for (const event of parser.push(decoder.decode(value, { stream: true }))) {
        if (event.event !== 'snapshot') continue;
        const snapshot: unknown = JSON.parse(event.data);
        if (!isSnapshot(snapshot)) continue;
        retryMs = FIRST_RETRY_MS;
        handlers.status('live', 'Live');
        handlers.snapshot(snapshot);
      }
    }
  };

  void (async () => {
    while (!abort.signal.aborted) {
      let detail = 'the lab server closed the feed';
      try {
        if ((await readOnce()) === 'stop') return;
      } catch (err) {
        if (abort.signal.aborted) return;
        detail = err instanceof Error ? err.message : String(err);
      }
      handlers.status('reconnecting', `Reconnecting (${detail})…`);
      await new Promise((resolve) => setTimeout(resolve, retryMs));
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    }
  })();
  return () => abort.abort();
}
