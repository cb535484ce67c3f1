// Download progress without downloading twice. Pyodide fetches its own files (the wasm through
// WebAssembly.instantiateStreaming, the standard library zip); while it starts, the worker's
// fetch is wrapped so that each response for one of the given paths is cloned and the clone's
// bytes are counted as they arrive, while Pyodide consumes the original. The original stays
// the browser's own Response (its URL and HTTP-cache entry), which is what lets Chromium keep
// and reuse the compiled wasm (its WebAssembly code cache); a Response rebuilt from counted
// bytes would lose that.

/** Runs `during` with the worker's fetch counting the bytes of responses for `paths`. */
export async function withCountedFetches<T>(paths: readonly string[], onBytes: (bytes: number) => void, during: () => Promise<T>): Promise<T> {
  const original = globalThis.fetch;
  const wanted = new Set(paths);
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const response = await original(input, init);
    const url = input instanceof Request ? input.url : String(input);
    if (!wanted.has(new URL(url, location.href).pathname) || !response.ok || !response.body) return response;
    count(response.clone(), onBytes);
    return response;
  };
  try {
    return await during();
  } finally {
    globalThis.fetch = original;
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
