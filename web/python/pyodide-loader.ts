// Loads Pyodide in the Python worker, from this server only (never a CDN), with progress:
// the two big files are downloaded first with a streaming reader, counting bytes, which
// leaves them in the browser's cache (they are served immutable); loadPyodide then reads them
// from there. Then Socket Lab's Python modules are put in place (labruntime.install()).

/// <reference types="vite/client" />

import { loadPyodide, version as PYODIDE_VERSION, type PyodideAPI } from 'pyodide';
import { PYTHON_HOME } from './worker-messages.ts';
import labchannelPy from './py/labchannel.py?raw';
import labmainPy from './py/labmain.py?raw';
import labruntimePy from './py/labruntime.py?raw';
import labselectPy from './py/labselect.py?raw';
import labsocketPy from './py/labsocket.py?raw';
import labsocketIoPy from './py/labsocket_io.py?raw';
import labsocketNamesPy from './py/labsocket_names.py?raw';
import linuxErrnoPy from './py/linux_errno.py?raw';

/** Each big file's size uncompressed (what a reader counts), from vite.config.ts. */
declare const __PYODIDE_FILE_BYTES__: Record<string, number>;

/** Where the server serves the runtime (scripts/build-pyodide.mjs, server/http/web-plugin.ts). */
export const PYODIDE_INDEX_URL = `/pyodide/${PYODIDE_VERSION}/`;
export { PYODIDE_VERSION };
/** Our Python modules' folder: labmain leaves frames of files in it out of tracebacks. */
export const SOCKETLAB_PY_DIR = '/opt/socketlab';
/** The share of the progress bar that downloading is; starting Python is the rest. */
const DOWNLOAD_SHARE = 0.9;

const MODULES: Readonly<Record<string, string>> = {
  'labchannel.py': labchannelPy,
  'labmain.py': labmainPy,
  'labruntime.py': labruntimePy,
  'labselect.py': labselectPy,
  'labsocket.py': labsocketPy,
  'labsocket_io.py': labsocketIoPy,
  'labsocket_names.py': labsocketNamesPy,
  'linux_errno.py': linuxErrnoPy,
};

async function download(url: string, onBytes: (bytes: number) => void): Promise<void> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    onBytes(value.length);
  }
}

/**
 * Loads Pyodide with the `socketlab_channel` JS module registered (labchannel imports it) and
 * our modules installed. onProgress gets fractions from 0 to 1.
 */
export async function loadLabPython(channelModule: object, onProgress: (fraction: number) => void): Promise<PyodideAPI> {
  const files = ['pyodide.asm.wasm', 'python_stdlib.zip'];
  const total = files.reduce((sum, name) => sum + (__PYODIDE_FILE_BYTES__[name] ?? 0), 0);
  let loaded = 0;
  onProgress(0);
  await Promise.all(
    files.map((name) =>
      download(PYODIDE_INDEX_URL + name, (bytes) => {
        loaded += bytes;
        if (total > 0) onProgress(Math.min(1, loaded / total) * DOWNLOAD_SHARE);
      }),
    ),
  );
  onProgress(DOWNLOAD_SHARE);
  const pyodide = await loadPyodide({
    indexURL: PYODIDE_INDEX_URL,
    env: { HOME: PYTHON_HOME },
    // Nothing is printed while loading; the program's streams are set when it runs.
    stdout: () => undefined,
    stderr: () => undefined,
  });
  pyodide.FS.mkdirTree(SOCKETLAB_PY_DIR);
  for (const [name, text] of Object.entries(MODULES)) pyodide.FS.writeFile(`${SOCKETLAB_PY_DIR}/${name}`, text);
  pyodide.registerJsModule('socketlab_channel', channelModule);
  pyodide.runPython(`import sys\nsys.path.append(${JSON.stringify(SOCKETLAB_PY_DIR)})\nimport labruntime\nlabruntime.install()`);
  return pyodide;
}
