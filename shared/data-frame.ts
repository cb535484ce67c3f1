// Binary WebSocket frames of the bridge protocol carry socket data, so the data path has no
// JSON and no base64: [kind: u8][sock: u32 big-endian][payload bytes].

export const DATA_FRAME_KIND = 1;
export const DATA_FRAME_HEADER_BYTES = 5;
/** Largest payload in one frame; a page splits a bigger sendall into several frames. */
export const MAX_DATA_FRAME_PAYLOAD_BYTES = 64 * 1024;
/**
 * Bytes a page may have sent on one socket and not yet had acknowledged ('sent'). The page
 * sends a frame while it has less than this outstanding; the server refuses more than this
 * plus one frame (server/net/lab-socket.ts), so it never buffers what a page pushes.
 */
export const PAGE_SEND_WINDOW_BYTES = 256 * 1024;
/**
 * The smallest receive window a lab may set (the buffered-bytes limit). A page holds back at
 * most one byte less than this of credit (web/bridge/credit-batcher.ts), so the server never
 * pauses a socket whose program has read what it was sent.
 */
export const MIN_RECEIVE_WINDOW_BYTES = 4096;

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

/** Reads a binary frame; returns an error text for anything that is not a well-formed data frame. */
export function decodeDataFrame(frame: Uint8Array): DataFrame | string {
  if (frame.length < DATA_FRAME_HEADER_BYTES) return 'binary frame shorter than its header';
  if (frame[0] !== DATA_FRAME_KIND) return `unknown binary frame kind ${frame[0]}`;
  const payloadBytes = frame.length - DATA_FRAME_HEADER_BYTES;
  if (payloadBytes > MAX_DATA_FRAME_PAYLOAD_BYTES) return `data frame over ${MAX_DATA_FRAME_PAYLOAD_BYTES} bytes`;
  if (payloadBytes === 0) return 'empty data frame';
  const sock = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(1);
  return { sock, payload: frame.subarray(DATA_FRAME_HEADER_BYTES) };
}
