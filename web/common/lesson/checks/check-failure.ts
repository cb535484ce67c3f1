// A scenario failed: the message is the first difference, said for a student.

export class CheckFailure extends Error {}

/** A promise that rejects with CheckFailure after ms, unless cancelled. */
export function deadline(ms: number, message: () => string): { promise: Promise<never>; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new CheckFailure(message())), ms);
  });
  promise.catch(() => undefined);
  return { promise, cancel: () => clearTimeout(timer) };
}
