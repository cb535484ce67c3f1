import { asciiBytes } from '../../../../shared/bytes.ts';
import { pyAddrRepr } from '../../../../shared/py-repr.ts';
import type { BuiltinProgram } from '../program.ts';

/** Program 1, basic_server.py: accepts one client and sends it b'Hello from server\n'. */
export const basicServer: BuiltinProgram = {
  name: 'basic_server',
  file: 'basic_server.py',
  lesson: 'Program 1',
  summary: "server on 127.0.0.1:12345: accepts one client, sends b'Hello from server\\n'",
  async main(io) {
    // my_socket = socket.socket()
    const mySocket = await io.socket();
    // my_socket.bind(('127.0.0.1', 12345)); my_socket.listen()
    await mySocket.bind(['127.0.0.1', 12345]);
    await mySocket.listen();

    // new_socket, addr = my_socket.accept()
    const [newSocket, addr] = await mySocket.accept();
    // print('Connected to: ' + str(addr))
    io.print('Connected to: ' + pyAddrRepr(addr));
    // new_socket.sendall(b'Hello from server\n')
    await newSocket.sendall(asciiBytes('Hello from server\n'));
    // new_socket.close(); my_socket.close()
    await newSocket.close();
    await mySocket.close();
  },
};
