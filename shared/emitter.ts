// One typed event and its listeners, in place of a hand-written Set of callbacks in each class
// that has an onSomething(listener) method. on() returns the disposer that removes the
// listener. emit() calls the listeners in the order they were added, the DOM's way: those
// added while it runs wait for the next emit, and one removed while it runs (by an earlier
// listener) is not called. Pure, so shared/, web/ and server/ all use it.

export type Listener<T> = (value: T) => void;
/** Removes what it was returned for; calling it again does nothing. */
export type Disposer = () => void;

export class Emitter<T = void> {
  private readonly listeners = new Set<Listener<T>>();

  /** Adds a listener; the returned disposer removes it. */
  on(listener: Listener<T>): Disposer {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(value: T): void {
    for (const listener of [...this.listeners]) {
      if (this.listeners.has(listener)) listener(value);
    }
  }

  /** Removes every listener (their disposers then do nothing). */
  clear(): void {
    this.listeners.clear();
  }

  /** How many listeners there are. */
  get size(): number {
    return this.listeners.size;
  }
}
