// A memory snapshot is mostly zeros (about two thirds of Pyodide's 30 MB heap after start):
// kept as its non-zero pages only, it is read from and written to IndexedDB in about half the
// time. Pure functions, no DOM.

/** The granularity of dropped zeros, in bytes. */
export const SPARSE_PAGE_BYTES = 4096;

export interface SparseBytes {
  byteLength: number;
  /** Indexes of the pages that are not all zeros, ascending. */
  pages: Uint32Array;
  /** Those pages' bytes, one after the other (the last page of the whole may be short). */
  data: Uint8Array;
}

function pageIsZero(words: Int32Array, firstWord: number, endWord: number): boolean {
  for (let i = firstWord; i < endWord; i++) if (words[i] !== 0) return false;
  return true;
}

export function toSparse(bytes: Uint8Array): SparseBytes {
  // Whole 32-bit words make the zero test four times cheaper; the tail past them is bytes.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const words = new Int32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength >>> 2);
  const pageCount = Math.ceil(bytes.byteLength / SPARSE_PAGE_BYTES);
  const kept: number[] = [];
  let dataBytes = 0;
  for (let page = 0; page < pageCount; page++) {
    const start = page * SPARSE_PAGE_BYTES;
    const end = Math.min(bytes.byteLength, start + SPARSE_PAGE_BYTES);
    const wordEnd = end >>> 2;
    let zero = pageIsZero(words, start >>> 2, wordEnd);
    for (let i = wordEnd * 4; zero && i < end; i++) zero = aligned[i] === 0;
    if (zero) continue;
    kept.push(page);
    dataBytes += end - start;
  }
  const data = new Uint8Array(dataBytes);
  let at = 0;
  for (const page of kept) {
    const start = page * SPARSE_PAGE_BYTES;
    const chunk = aligned.subarray(start, Math.min(bytes.byteLength, start + SPARSE_PAGE_BYTES));
    data.set(chunk, at);
    at += chunk.byteLength;
  }
  return { byteLength: bytes.byteLength, pages: Uint32Array.from(kept), data };
}

/** The bytes again; throws if the parts do not fit together (a damaged record). */
export function fromSparse(sparse: SparseBytes): Uint8Array {
  const { byteLength, pages, data } = sparse;
  const bytes = new Uint8Array(byteLength);
  let at = 0;
  let previous = -1;
  for (const page of pages) {
    const start = page * SPARSE_PAGE_BYTES;
    const length = Math.min(byteLength, start + SPARSE_PAGE_BYTES) - start;
    if (page <= previous || length <= 0 || at + length > data.byteLength) throw new Error('the sparse bytes do not fit together');
    bytes.set(data.subarray(at, at + length), start);
    at += length;
    previous = page;
  }
  if (at !== data.byteLength) throw new Error('the sparse bytes do not fit together');
  return bytes;
}
