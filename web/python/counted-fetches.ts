// Pyodide's big files, fetched early, once, with their bytes counted for the progress bar.
//
// Pyodide fetches its own files (the wasm through WebAssembly.instantiateStreaming, the
// standard library zip). CountedFetches starts those fetches as soon as it is made (while the
// worker still reads its snapshot, before loadPyodide asks), counts the bytes of a clone of
// each response as they arrive, and, while `during` runs, answers Pyodide's fetch of each
// path with that same response, once. The response stays the browser's own (its URL and
// HTTP-cache entry), which is what lets Chromium keep and reuse the compiled wasm (its
// WebAssembly code cache); a Response rebuilt from counted bytes would lose that. A second
// fetch of a path (a second loadPyodide, after a snapshot was refused) is a new, counted one.

export class CountedFetches {
  private readonly paths: ReadonlySet<string>;
  /** The early responses not yet handed to Pyodide, by path. */
  private readonly early = new Map<string, Promise<Response>>();
  private readonly fetch = globalThis.fetch.bind(globalThis);

  constructor(
    paths: readonly string[],
    private readonly onBytes: (bytes: number) => void,
  ) {
    this.paths = new Set(paths);
    for (const path of paths) {
      const response = this.counted(path);
      response.catch(() => undefined); // Pyodide takes it and sees the failure
      this.early.set(path, response);
    }
  }

  /** Runs `during` with the worker's fetch answering for the paths. */
  async during<T>(during: () => Promise<T>): Promise<T> {
    const original = globalThis.fetch;
    globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const path = new URL(input instanceof Request ? input.url : String(input), location.href).pathname;
      if (!this.paths.has(path)) return original(input, init);
      const early = this.early.get(path);
      this.early.delete(path);
      return early ?? this.counted(path);
    };
    try {
      return await during();
    } finally {
      globalThis.fetch = original;
    }
  }

  private async counted(path: string): Promise<Response> {
    const response = await this.fetch(path);
    if (response.ok && response.body) count(response.clone(), this.onBytes);
    return response;
  }
}

function count(response: Response, onBytes: (bytes: number) => void): void {
  const reader = response.body!.getReader();
  const next = (): Promise<void> =>
    reader.read().then(({ done, value }) => {
      if (done) return;
      onBytes(value.length);
      return next();
    });
  // A failed read fails Pyodide's own read of the original too, which is where it is reported.
  next().catch(() => undefined);
}
