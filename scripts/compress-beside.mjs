// Writes gzip and brotli copies beside a file (FILE.gz, FILE.br), so that the server hands
// browsers the compressed file without compressing on every request (@fastify/static's
// preCompressed). Used for the built page and for the Python runtime.
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

export async function compressBeside(path) {
  await pipeline(createReadStream(path), zlib.createGzip({ level: 9 }), createWriteStream(`${path}.gz`));
  await pipeline(
    createReadStream(path),
    zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9 } }),
    createWriteStream(`${path}.br`),
  );
}
