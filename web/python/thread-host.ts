// The JavaScript half of labthread.py, Python's `_thread` where the program can wait on a
// promise (JSPI), registered as the `socketlab_threads` module. A thread is a promising call
// (PyProxy.callPromising) of its own: a Python stack that suspends whenever it waits, letting
// the others run. Here are what must not be Python: the locks' state and waiters (a JS call is
// atomic between two bytecodes, so whatever Python does meanwhile, an acquire is never
// half-done), which thread runs now (the channel's requests of other threads than main say
// `bg`, so that Ctrl-C stays the main thread's), Ctrl-C for a main thread that waits on a lock
// or a join, and the time slice after which a busy thread is asked to let the others run
// (the interrupt buffer's getter, web/common/python/interrupt-poller.ts).

/** The program's main thread (labthread's get_ident() there). */
export const MAIN_THREAD = 1;
/** A busy thread lets the others run after this long, as CPython's switch interval (5 ms). */
export const SWITCH_INTERVAL_MS = 5;
/** How often a main thread that waits on a lock asks the server whether Ctrl-C was pressed. */
export const MAIN_WAIT_POLL_MS = 250;

/** How a lock wait ended: woken by a release (the waiter tries again), timed out, or Ctrl-C. */
type WaitEnd = 'wake' | 'timeout' | 'interrupted';

interface Waiter {
  end(how: WaitEnd): void;
}

/** What the host needs of the worker: Ctrl-C's poll and a way to raise a signal in Python. */
export interface ThreadHostLinks {
  /** Asks the server, on the main thread's behalf, whether Ctrl-C is pending. */
  ctrlCPending(): Promise<boolean>;
  /** Raises a signal in whatever Python runs next (the interrupt buffer). */
  raise(signal: number): void;
}

/**
 * A lock that the releasing thread may take again at once (as CPython's): a release wakes
 * the first waiter, which tries again when it runs. Waiters wait in JS, on a promise that
 * Python waits on with run_sync.
 */
export class ThreadLock {
  locked = false;
  private readonly waiters: Waiter[] = [];

  constructor(private readonly host: ThreadHost) {}

  tryAcquire(): boolean {
    if (this.locked) return false;
    this.locked = true;
    return true;
  }

  /** A promise of how the wait ended; timeoutMs < 0: none. The main thread's wait ends at Ctrl-C. */
  wait(timeoutMs: number): Promise<WaitEnd> {
    const main = this.host.current === MAIN_THREAD;
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waiter: Waiter = {
        end: (how) => {
          const at = this.waiters.indexOf(waiter);
          if (at >= 0) this.waiters.splice(at, 1);
          if (timer !== undefined) clearTimeout(timer);
          if (main) this.host.mainWaitEnded(waiter);
          resolve(how);
        },
      };
      this.waiters.push(waiter);
      if (timeoutMs >= 0) timer = setTimeout(() => waiter.end('timeout'), timeoutMs);
      if (main) this.host.mainWaitStarted(waiter);
    });
  }

  /** False if it was not locked. */
  release(): boolean {
    if (!this.locked) return false;
    this.locked = false;
    this.waiters[0]?.end('wake');
    return true;
  }
}

export class ThreadHost {
  /** The thread whose Python runs now (or last ran). */
  current = MAIN_THREAD;
  /** Threads alive, main included. */
  alive = 1;
  /** The signal labthread switches on (set by Python: signal.SIGUSR1), 0 before. */
  switchSignal = 0;
  private sliceStart = 0;
  private asked = false;
  private readonly mainWaits = new Set<Waiter>();
  private polling = false;
  /** Ctrl-C reached a thread other than main while main was not waiting on a lock. */
  private mainInterruptPending = false;
  private links: ThreadHostLinks | null = null;

  constructor(private readonly now: () => number = () => performance.now()) {}

  attach(links: ThreadHostLinks): void {
    this.links = links;
  }

  // ---- called from Python (labthread) ----
  readonly newLock = (): ThreadLock => new ThreadLock(this);

  /** Runs fn (a PyProxy) as a new thread: a promising call, its own stack. */
  readonly start = (fn: { callPromising(): Promise<unknown>; destroy(): void }): void => {
    this.alive++;
    const ended = () => {
      this.alive--;
      fn.destroy();
    };
    // labthread's function reports the thread's own errors; one here is Pyodide's (a bug).
    fn.callPromising().then(ended, (err: unknown) => {
      ended();
      console.error('a Python thread ended with an error of Pyodide:', err);
    });
  };

  /** A thread runs again (it started, or came back from a wait): its time slice starts. */
  readonly resumed = (ident: number): void => {
    this.current = ident;
    this.sliceStart = this.now();
    this.asked = false;
    if (ident === MAIN_THREAD && this.mainInterruptPending) {
      this.mainInterruptPending = false;
      this.links?.raise(SIGINT_NUMBER);
    }
  };

  /** The switch handler ran: it switches (a new slice starts) or cannot here (not at a safe
   * point: the getter asks again at its next look at the clock). */
  readonly switchHandled = (switched: boolean): void => {
    this.asked = false;
    if (switched) this.sliceStart = this.now();
  };

  /** A promise resolved at the next task: a busy thread waits on it to let the others run. */
  readonly nextTurn = (): Promise<void> => new Promise((resolve) => nextTask(resolve));

  /** Ctrl-C reached another thread than main (its SIGINT handler ran there): KeyboardInterrupt
   * goes to main, at once if it waits on a lock, else as soon as it runs. */
  readonly interruptMain = (): void => {
    if (this.mainWaits.size > 0) {
      for (const waiter of [...this.mainWaits]) waiter.end('interrupted');
      return;
    }
    this.mainInterruptPending = true;
  };

  /** For main's channel requests, at each `again`: Ctrl-C that reached another thread while
   * main waited on the server ends main's wait as `interrupted`. */
  takeMainInterrupt(): boolean {
    if (this.current !== MAIN_THREAD || !this.mainInterruptPending) return false;
    this.mainInterruptPending = false;
    return true;
  }

  // ---- the interrupt buffer's getter asks ----
  /** The switch signal once the running thread's slice is used up and another thread is alive
   * (asked once, until labthread says it handled it), else 0. */
  switchDue(at: number): number {
    if (this.switchSignal === 0 || this.alive < 2 || this.asked || at - this.sliceStart < SWITCH_INTERVAL_MS) return 0;
    this.asked = true;
    return this.switchSignal;
  }

  // ---- the main thread's lock waits, and Ctrl-C ----
  mainWaitStarted(waiter: Waiter): void {
    this.mainWaits.add(waiter);
    if (!this.polling) void this.pollCtrlC();
  }

  mainWaitEnded(waiter: Waiter): void {
    this.mainWaits.delete(waiter);
  }

  /** While main waits on a lock (join, Event, Queue...) no request of its own can learn of
   * Ctrl-C, so it is asked for on main's behalf. */
  private async pollCtrlC(): Promise<void> {
    this.polling = true;
    try {
      while (this.mainWaits.size > 0 && this.links) {
        await new Promise((resolve) => setTimeout(resolve, MAIN_WAIT_POLL_MS));
        if (this.mainWaits.size === 0) break;
        if (await this.links.ctrlCPending()) {
          this.interruptMain();
          break;
        }
      }
    } finally {
      this.polling = false;
    }
  }
}

const SIGINT_NUMBER = 2;

/** Calls f at the next task (a MessageChannel: unlike setTimeout(0), never clamped to 4 ms). */
function nextTask(f: () => void): void {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    f();
  };
  channel.port2.postMessage(null);
}
