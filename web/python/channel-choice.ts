// Which way a Python worker waits for its channel's answers (sync-transport.ts): on a promise
// over the channel's WebSocket where the browser has JSPI (WebAssembly.Suspending, which
// Pyodide needs for run_sync), else synchronous XMLHttpRequests. The page's URL can force
// the XMLHttpRequests (?python-channel=xhr), so tests keep that way tested in a browser that
// has JSPI; the flag reaches the worker in its name, which the worker can read before it runs.

/** The page URL's parameter, and its value that forces synchronous XMLHttpRequests. */
export const CHANNEL_PARAM = 'python-channel';
export const XHR_CHANNEL = 'xhr';

const WORKER_NAME = 'python';
const XHR_WORKER_NAME = `${WORKER_NAME} ${XHR_CHANNEL}`;

/** The Python worker's name for a page whose URL has this query string. */
export function pythonWorkerName(pageQuery: string): string {
  return new URLSearchParams(pageQuery).get(CHANNEL_PARAM) === XHR_CHANNEL ? XHR_WORKER_NAME : WORKER_NAME;
}

/** Whether a worker of this name, in this WebAssembly, waits on promises (JSPI). */
export function suspendsIn(workerName: string, wasm: object): boolean {
  return workerName !== XHR_WORKER_NAME && 'Suspending' in wasm && 'promising' in wasm;
}
