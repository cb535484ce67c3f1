import { asciiBytes } from '../../../../shared/bytes.ts';
import type { BuiltinProgram } from '../program.ts';

/** Program 3, basic_server_split.py: sends b'Hello fr', sleeps 0.1 s, sends b'om server\n'. */
export const basicServerSplit: BuiltinProgram = {
  name: 'basic_server_split',
  file: 'basic_server_split.py',
  lesson: 'Program 3',
  summary: "server on 127.0.0.1:12345: sends b'Hello fr', waits 0.1 s, sends b'om server\\n'",
  async main(io) {
    // my_socket = socket.socket()
    const mySocket = await io.socket();
    // my_socket.bind(('127.0.0.1', 12345)); my_socket.listen()
    await mySocket.bind(['127.0.0.1', 12345]);
    await mySocket.listen();

    // new_socket, addr = my_socket.accept()
    const [newSocket] = await mySocket.accept();
    // new_socket.sendall(b'Hello fr')
    await newSocket.sendall(asciiBytes('Hello fr'));
    // time.sleep(0.1)
    await io.sleep(0.1);
    // new_socket.sendall(b'om server\n')
    await newSocket.sendall(asciiBytes('om server\n'));
    // new_socket.close(); my_socket.close()
    await newSocket.close();
    await mySocket.close();
  },
};
