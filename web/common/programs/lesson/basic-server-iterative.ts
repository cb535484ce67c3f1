import { asciiBytes } from '../../../../shared/bytes.ts';
import type { BuiltinProgram } from '../program.ts';

/** Program 5, basic_server_iterative.py: greets every client, one at a time, forever. */
export const basicServerIterative: BuiltinProgram = {
  name: 'basic_server_iterative',
  file: 'basic_server_iterative.py',
  lesson: 'Program 5',
  summary: "iterative server on 127.0.0.1:12345: sends b'Hello from server\\n' to every client (Ctrl-C stops it)",
  async main(io) {
    // my_socket = socket.socket()
    const mySocket = await io.socket();
    // my_socket.bind(('127.0.0.1', 12345)); my_socket.listen()
    await mySocket.bind(['127.0.0.1', 12345]);
    await mySocket.listen();

    // while True:
    for (;;) {
      // new_socket, addr = my_socket.accept()
      const [newSocket] = await mySocket.accept();
      // new_socket.sendall(b'Hello from server\n')
      await newSocket.sendall(asciiBytes('Hello from server\n'));
      // new_socket.close()
      await newSocket.close();
    }
  },
};
