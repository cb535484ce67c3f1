// Finds consoles that are gone without saying so, and consoles left open with nothing to do.
// - A laptop whose lid was shut, or whose Wi-Fi dropped, leaves its WebSocket open on the
//   server with no close ever coming: every PING interval each console is pinged, and one that
//   has not answered the previous ping by the next is cut, which closes its sockets (its peers
//   read end of stream) as a closed tab does. Browsers answer pings by themselves, even from a
//   background tab, so a live page is never cut.
// - A console whose page has sent nothing for the idle timeout (a tab forgotten overnight with
//   a server in accept()) is closed with CLOSE_CODES.IDLE, so its listeners do not hold ports.

/** What the heartbeat needs of a console's connection. */
export interface Beating {
  ping(): void;
  /** Cuts the connection at once (no closing handshake: the other end is not answering). */
  terminate(): void;
  /** Closes the console because it was idle. */
  closeIdle(): void;
}

interface Entry {
  answered: boolean;
  lastMessageAt: number;
}

export class Heartbeat {
  private readonly entries = new Map<Beating, Entry>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly pingIntervalMs: number,
    /** 0: never close idle consoles. */
    private readonly idleTimeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts watching a connection; the returned function stops (call it when it closes). */
  watch(conn: Beating): () => void {
    this.entries.set(conn, { answered: true, lastMessageAt: this.now() });
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), this.pingIntervalMs);
      this.timer.unref?.();
    }
    return () => this.unwatch(conn);
  }

  /** The page answered a ping. */
  pong(conn: Beating): void {
    const entry = this.entries.get(conn);
    if (entry) entry.answered = true;
  }

  /** The page sent a message: it is alive, and not idle. */
  message(conn: Beating): void {
    const entry = this.entries.get(conn);
    if (!entry) return;
    entry.answered = true;
    entry.lastMessageAt = this.now();
  }

  /** One round: cut the silent, close the idle, ping the rest. */
  tick(): void {
    const now = this.now();
    for (const [conn, entry] of [...this.entries]) {
      if (!entry.answered) {
        this.unwatch(conn);
        conn.terminate();
      } else if (this.idleTimeoutMs > 0 && now - entry.lastMessageAt >= this.idleTimeoutMs) {
        this.unwatch(conn);
        conn.closeIdle();
      } else {
        entry.answered = false;
        conn.ping();
      }
    }
  }

  get watching(): number {
    return this.entries.size;
  }

  /** Stops the timer (server shutdown). */
  stop(): void {
    this.entries.clear();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private unwatch(conn: Beating): void {
    this.entries.delete(conn);
    if (this.entries.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}
