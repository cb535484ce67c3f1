// Binary WebSocket frames of the bridge protocol carry socket data, so the data path has no
// JSON and no base64.
// - Server to page: [kind: u8 = 1][sock: u32 big-endian][payload bytes].
// - Page to server: [kind: u8][sock: u32][credit: u32][payload bytes]. `credit` is what the
//   program has read of that socket since the last credit (it rides on the data the program
//   sends, so a program answering what it read sends one message, not two). Kind 1: the server
//   acknowledges the bytes lazily ('sent', at ACK_BATCH_BYTES); kind 2: as soon as they are
//   written to the real socket (a page waiting for them). A kind 2 frame may carry no
//   payload: it asks for the acknowledgement of what was sent before it.

export const DATA_FRAME_KIND = 1;
export const ACK_NOW_FRAME_KIND = 2;
export const DATA_FRAME_HEADER_BYTES = 5;
export const PAGE_FRAME_HEADER_BYTES = 9;
/** Largest payload in one frame; a page splits a bigger sendall into several frames. */
export const MAX_DATA_FRAME_PAYLOAD_BYTES = 64 * 1024;
/**
 * Bytes a page may have sent on one socket and not yet had acknowledged ('sent'). The page
 * sends a frame while it has less than this outstanding; the server refuses more than this
 * plus one frame (server/net/lab-socket.ts), so it never buffers what a page pushes.
 */
export const PAGE_SEND_WINDOW_BYTES = 256 * 1024;
/**
 * Written bytes the server gathers per socket before it acknowledges them unasked: a quarter
 * of the page's send window, so a page streaming data never waits on a batch.
 */
export const ACK_BATCH_BYTES = PAGE_SEND_WINDOW_BYTES / 4;
/**
 * The smallest receive window a lab may set (the buffered-bytes limit). A page holds back at
 * most one byte less than this of credit (web/common/bridge/credit-batcher.ts), so the server never
 * pauses a socket whose program has read what it was sent.
 */
export const MIN_RECEIVE_WINDOW_BYTES = 4096;

/** A server-to-page frame. */
export function encodeDataFrame(sock: number, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(DATA_FRAME_HEADER_BYTES + payload.length);
  frame[0] = DATA_FRAME_KIND;
  new DataView(frame.buffer).setUint32(1, sock);
  frame.set(payload, DATA_FRAME_HEADER_BYTES);
  return frame;
}

export interface DataFrame {
  sock: number;
  payload: Uint8Array;
}

/** Reads a server-to-page frame; returns an error text for anything that is not a well-formed one. */
export function decodeDataFrame(frame: Uint8Array): DataFrame | string {
  if (frame.length < DATA_FRAME_HEADER_BYTES) return 'binary frame shorter than its header';
  if (frame[0] !== DATA_FRAME_KIND) return `unknown binary frame kind ${frame[0]}`;
  const payloadBytes = frame.length - DATA_FRAME_HEADER_BYTES;
  if (payloadBytes > MAX_DATA_FRAME_PAYLOAD_BYTES) return `data frame over ${MAX_DATA_FRAME_PAYLOAD_BYTES} bytes`;
  if (payloadBytes === 0) return 'empty data frame';
  const sock = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(1);
  return { sock, payload: frame.subarray(DATA_FRAME_HEADER_BYTES) };
}

export interface PageFrame extends DataFrame {
  /** Bytes the program has read of this socket, not yet credited. */
  credit: number;
  /** Acknowledge as soon as written (kind 2), not lazily. */
  ackNow: boolean;
}

/** A page-to-server frame. */
export function encodePageFrame(sock: number, payload: Uint8Array, credit: number, ackNow: boolean): Uint8Array {
  const frame = new Uint8Array(PAGE_FRAME_HEADER_BYTES + payload.length);
  frame[0] = ackNow ? ACK_NOW_FRAME_KIND : DATA_FRAME_KIND;
  const view = new DataView(frame.buffer);
  view.setUint32(1, sock);
  view.setUint32(5, credit);
  frame.set(payload, PAGE_FRAME_HEADER_BYTES);
  return frame;
}

/** Reads a page-to-server frame; returns an error text for anything that is not a well-formed one. */
export function decodePageFrame(frame: Uint8Array): PageFrame | string {
  if (frame.length < PAGE_FRAME_HEADER_BYTES) return 'binary frame shorter than its header';
  const kind = frame[0];
  if (kind !== DATA_FRAME_KIND && kind !== ACK_NOW_FRAME_KIND) return `unknown binary frame kind ${kind}`;
  const payloadBytes = frame.length - PAGE_FRAME_HEADER_BYTES;
  if (payloadBytes > MAX_DATA_FRAME_PAYLOAD_BYTES) return `data frame over ${MAX_DATA_FRAME_PAYLOAD_BYTES} bytes`;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const credit = view.getUint32(5);
  if (payloadBytes === 0 && kind === DATA_FRAME_KIND && credit === 0) return 'empty data frame';
  return { sock: view.getUint32(1), payload: frame.subarray(PAGE_FRAME_HEADER_BYTES), credit, ackNow: kind === ACK_NOW_FRAME_KIND };
}
