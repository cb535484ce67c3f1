// Pyodide's WebAssembly module compiled once per page (held-python-start.ts): while Pyodide
// loads, its WebAssembly.instantiateStreaming (the only way it instantiates in a browser)
// instantiates the page's compiled module when there is one, with Pyodide's own imports, and
// otherwise compiles as before and hands the module it compiled to `compiled`. The module is
// the same file's whatever way it comes (the page never mixes versions: one build, one
// PYODIDE_VERSION), so what runs is the same code.

/** Runs `during` (Pyodide's load) with instantiateStreaming answering as above. */
export async function withWasmModule<T>(
  given: WebAssembly.Module | null,
  compiled: (module: WebAssembly.Module) => void,
  during: () => Promise<T>,
): Promise<T> {
  const original = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    if (!given) {
      const result = await original.call(WebAssembly, source, imports);
      compiled(result.module);
      return result;
    }
    // The response is not needed: its body is let go (a clone may still count its bytes).
    void Promise.resolve(source)
      .then((response) => response.body?.cancel())
      .catch(() => undefined);
    const instance = await WebAssembly.instantiate(given, imports);
    return { instance, module: given };
  };
  try {
    return await during();
  } finally {
    WebAssembly.instantiateStreaming = original;
  }
}
