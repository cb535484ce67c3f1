// Serves the built front end (vite build -> dist/web): hashed assets cached for good, the
// page itself for /, /join, /class/SLUG (a class's join page) and /lab/CODE, the teacher's page for /teacher (its data needs the
// token; the page alone holds no secret). The chunk of the worksheet's answers is handed out only
// once the teacher has revealed them.

import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { LAB_CODE_PARAMS } from './lab-by-code.ts';

export interface WebOptions {
  root: string;
  revealAnswers(): boolean;
}

/** Where the Python runtime is served: PYODIDE_PREFIX + VERSION + '/pyodide.mjs'. */
export const PYODIDE_PREFIX = '/pyodide/';

/** Vite names the answers' chunk this way (vite.config.ts). */
export const ANSWERS_CHUNK_PREFIX = 'answers-';

async function web(app: FastifyInstance, options: WebOptions): Promise<void> {
  if (!existsSync(join(options.root, 'index.html'))) {
    throw new Error(`the front end is not built: ${options.root}/index.html is missing (run npm run build)`);
  }
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith(`/assets/${ANSWERS_CHUNK_PREFIX}`) && !options.revealAnswers()) {
      return reply.code(404).send({ error: 'the answers are not revealed' });
    }
  });
  await app.register(fastifyStatic, {
    root: options.root,
    index: false,
    wildcard: true,
    // scripts/compress-web.mjs writes .br and .gz copies at build time.
    preCompressed: true,
    // Our own headers: hashed assets forever, the page itself revalidated.
    cacheControl: false,
    setHeaders(res, path) {
      if (path.includes('/assets/')) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      else res.setHeader('cache-control', 'no-cache');
    },
  });
  // The Python runtime (scripts/build-pyodide.mjs): versioned paths, compressed copies.
  const pyodideRoot = join(options.root, '..', 'pyodide');
  if (existsSync(pyodideRoot)) {
    await app.register(fastifyStatic, {
      root: pyodideRoot,
      prefix: PYODIDE_PREFIX,
      decorateReply: false,
      index: false,
      preCompressed: true,
      maxAge: '365d',
      immutable: true,
    });
  }
  const page = (_req: unknown, reply: { sendFile(f: string): unknown }) => reply.sendFile('index.html');
  app.get('/', page);
  app.get('/join', page);
  app.get('/class/:slug', page);
  app.get('/lab/:code', { schema: { params: LAB_CODE_PARAMS } }, page);
  app.get('/teacher', (_req, reply) => reply.sendFile('teacher.html'));
}

export const webPlugin = fp(web, { name: 'socket-lab-web', fastify: '5.x' });
