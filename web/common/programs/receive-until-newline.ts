// The worksheet's protocol loop, used by most of its programs:
//
//   while b'\n' not in data:
//       data += sock.recv(1024)
//
// It returns everything received (which may run past the first '\n'), as the Python's data
// holds it. Once the peer has closed, recv returns b'' forever and this spins, as CPython does;
// the socket layer yields to the event loop there, so Ctrl-C still works.

import { concatBytes, indexOfByte } from '../../../shared/bytes.ts';
import type { PySocket } from '../net/py-socket.ts';

const NEWLINE = 0x0a;
const RECV_BYTES = 1024;

export async function receiveUntilNewline(socket: PySocket, data: Uint8Array = new Uint8Array(0)): Promise<Uint8Array> {
  while (indexOfByte(data, NEWLINE) < 0) data = concatBytes(data, await socket.recv(RECV_BYTES));
  return data;
}
