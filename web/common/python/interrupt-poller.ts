// Ctrl-C for Python code that makes no socket call (`while True: pass`), without
// SharedArrayBuffer. Pyodide checks for a signal by reading element 0 of the "interrupt
// buffer" every so often as Python runs; any object with a `0` property will do, so this one
// answers with a getter that asks the lab server (the `signal` request, answered at once)
// at most every SIGNAL_POLL_INTERVAL_MS. Pyodide writes 0 back once it has raised
// KeyboardInterrupt. Every other request of the program also finds a pending Ctrl-C on the
// server, so a program that makes them is not polled as well (checked()). With threads
// (labthread.py) the getter also answers the switch signal once a busy thread's time slice is
// up (web/python/thread-host.ts), at the same looks at the clock.

export const SIGINT = 2;
/** How often a busy program asks whether Ctrl-C was pressed: the most it waits to notice. */
export const SIGNAL_POLL_INTERVAL_MS = 250;
/** Reading the clock on every check would cost more than the checks: only every this many. */
const CHECKS_PER_CLOCK_READ = 64;

export interface InterruptPoller {
  /** What Pyodide's setInterruptBuffer is given. */
  readonly buffer: { 0: number };
  /** A signal found some other way (a read of sys.stdin that the server interrupted). */
  raise(signal: number): void;
  /** The server has just answered a request, so no Ctrl-C was pending: the next poll can wait. */
  checked(): void;
}

export function createInterruptPoller(
  ctrlCPending: () => boolean,
  now: () => number = () => performance.now(),
  /** A signal to raise now that the clock says `at` (threads: a busy one's time slice is up), or 0. */
  switchDue: (at: number) => number = () => 0,
): InterruptPoller {
  let pending = 0;
  let checks = 0;
  let lastPollMs = now();
  const buffer = {
    get 0(): number {
      if (pending !== 0) return pending;
      if (++checks % CHECKS_PER_CLOCK_READ !== 0) return 0;
      const at = now();
      if (at - lastPollMs < SIGNAL_POLL_INTERVAL_MS) return switchDue(at);
      lastPollMs = at;
      if (ctrlCPending()) pending = SIGINT;
      return pending || switchDue(at);
    },
    set 0(value: number) {
      pending = value;
    },
  };
  return { buffer, raise: (signal) => (pending = signal), checked: () => (lastPollMs = now()) };
}
