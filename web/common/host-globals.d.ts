// What DOM-free web code may use of its host beyond ES2022: the few globals that a page, a
// worker and Node all have, with only the members web/common uses. Declared here for
// web/common/tsconfig.json alone (the root tsconfig excludes this file: it has the full ones
// from the DOM lib and @types/node), so a web/common file that reaches for document, window,
// an element, fetch or a WebSocket fails to compile. Add here only what every host has;
// anything else is given to the code that needs it (a WebSocket-like, a Storage-like, ...).

/** Opaque: a number on the page, an object in Node. */
interface HostTimerHandle {
  readonly __hostTimerHandle: never;
}
declare function setTimeout(callback: () => void, delayMs?: number): HostTimerHandle;
declare function clearTimeout(handle: HostTimerHandle | undefined): void;

/** Warnings nobody else would see (the page's developer console, Node's stderr). */
declare var console: {
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
};

/** A monotonic clock in milliseconds. */
declare var performance: { now(): number };

/** An abort signal's 'abort' event: only its target is read. */
interface Event {
  readonly target: unknown;
}
interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: (event: Event) => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: (event: Event) => void): void;
}
declare class AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}
