// Reads a Server-Sent Events stream (text/event-stream) chunk by chunk: the teacher's page
// reads its live feed with fetch (so the token goes in a header, never in a URL) rather than
// EventSource, and the tests read it the same way. Only what the feed uses: event, data,
// comments; `retry` and `id` are ignored.

export interface StreamEvent {
  event: string;
  data: string;
}

/** The longest event kept; a stream that never ends a line is not a feed. */
export const MAX_EVENT_CHARS = 8 * 1024 * 1024;

export class EventStreamParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];

  /** Feeds decoded text; returns the events it completed. */
  push(text: string): StreamEvent[] {
    this.buffer += text;
    if (this.buffer.length > MAX_EVENT_CHARS) throw new Error('event stream: an event longer than the limit');
    const done: StreamEvent[] = [];
    let newline: number;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      // A lone \r at the very end may be the first half of \r\n: wait for more.
      if (this.buffer[newline] === '\r' && newline === this.buffer.length - 1) break;
      this.buffer = this.buffer.slice(newline + (this.buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (this.data.length > 0) done.push({ event: this.event || 'message', data: this.data.join('\n') });
        this.event = '';
        this.data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') this.event = value;
      else if (field === 'data') this.data.push(value);
    }
    return done;
  }
}
