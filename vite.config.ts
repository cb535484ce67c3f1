// Builds the front end: web/ -> dist/web, which the server serves.
//
// The worksheet's answers (web/common/programs/answers/answer-programs.ts, loaded only through a
// dynamic import) become their own chunk named assets/answers-HASH.js: the server refuses
// /assets/answers-* until the teacher reveals the answers (server/http/web-plugin.ts). Rolldown
// already splits a dynamically imported module, with whatever only it imports, into its own
// chunk; this config names that chunk, and a check fails the build if any answer module ends
// up in another chunk or the answers chunk is loaded statically, so the answers never leak.

import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/** The server's ANSWERS_CHUNK_PREFIX, with the assets folder. */
const ANSWERS_CHUNK_PREFIX = 'assets/answers-';
const ANSWERS_ENTRY = /[\\/]web[\\/]common[\\/]programs[\\/]answers[\\/]answer-programs\.ts$/;
const ANSWER_MODULE = /[\\/]web[\\/]common[\\/]programs[\\/]answers[\\/]/;

/** Fails the build when an answer program could reach the page without the answers chunk. */
function keepAnswersApart(): Plugin {
  return {
    name: 'socket-lab:keep-answers-apart',
    apply: 'build',
    generateBundle(_options, bundle) {
      const answerChunks = new Set<string>();
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const isAnswers = chunk.fileName.startsWith(ANSWERS_CHUNK_PREFIX);
        if (isAnswers) answerChunks.add(chunk.fileName);
        const stray = chunk.moduleIds.filter((id) => ANSWER_MODULE.test(id));
        if (!isAnswers && stray.length > 0) {
          this.error(`answer code in ${chunk.fileName}, which is served before the reveal: ${stray.join(', ')}`);
        }
      }
      if (answerChunks.size === 0) this.error('no answers chunk was built');
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || answerChunks.has(chunk.fileName)) continue;
        const staticAnswers = chunk.imports.filter((file) => answerChunks.has(file));
        if (staticAnswers.length > 0) this.error(`${chunk.fileName} imports ${staticAnswers.join(', ')} statically`);
      }
    },
  };
}

/** The Python worker counts download progress against these (uncompressed) sizes, since the
 * server sends the files compressed (web/python/pyodide-loader.ts). */
const pyodideDir = dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));
const PYODIDE_FILE_BYTES = Object.fromEntries(
  ['pyodide.asm.wasm', 'python_stdlib.zip'].map((name) => [name, statSync(join(pyodideDir, name)).size]),
);

/** pyodide.mjs imports node:fs and friends only when it runs in Node: in the worker build they
 * are empty modules (what Vite would make of them anyway, with a warning for each). */
function nodeBuiltinsOfPyodideAreEmpty(): Plugin {
  const EMPTY = '\0socket-lab:empty-node-builtin';
  return {
    name: 'socket-lab:empty-node-builtins-for-pyodide',
    enforce: 'pre',
    resolveId(source, importer) {
      return source.startsWith('node:') && importer?.includes(`${join('node_modules', 'pyodide')}`) ? EMPTY : null;
    },
    load: (id) => (id === EMPTY ? 'export default {};' : null),
  };
}

/** The pages: the students' (/, /join, /lab/CODE) and the teacher's (/teacher). */
const WEB_DIR = fileURLToPath(new URL('./web/', import.meta.url));
const PAGES = { index: join(WEB_DIR, 'index.html'), teacher: join(WEB_DIR, 'teacher.html') };

export default defineConfig({
  root: 'web',
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    rollupOptions: {
      input: PAGES,
      output: {
        chunkFileNames(chunk) {
          if (chunk.facadeModuleId && ANSWERS_ENTRY.test(chunk.facadeModuleId)) return `${ANSWERS_CHUNK_PREFIX}[hash].js`;
          // Nothing else may look like the answers chunk to the server.
          return chunk.name.startsWith('answers') ? 'assets/chunk-[name]-[hash].js' : 'assets/[name]-[hash].js';
        },
      },
    },
  },
  plugins: [keepAnswersApart()],
  define: { __PYODIDE_FILE_BYTES__: JSON.stringify(PYODIDE_FILE_BYTES) },
  // Pyodide 314 runs only in a module worker (web/python/python-worker.ts).
  worker: { format: 'es', plugins: () => [nodeBuiltinsOfPyodideAreEmpty()] },
  // Pyodide loads its own files from /pyodide/VERSION/; the dev server must not pre-bundle it.
  optimizeDeps: { exclude: ['pyodide'] },
});
