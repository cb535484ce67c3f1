import { pyBytesRepr } from '../../../../shared/py-repr.ts';
import type { BuiltinProgram } from '../program.ts';
import { receiveUntilNewline } from '../receive-until-newline.ts';


/**
 * Question 6 (answer), practice_server.py: basic_server the other way round. It receives
 * until b'\n' (the protocol of Program 4) and prints the bytes, so a whole
 * b'Hello from client\n' shows even if it arrives in pieces:
 *
 *   my_socket = socket.socket()
 *   my_socket.bind(('127.0.0.1', 12345))
 *   my_socket.listen()
 *   new_socket, addr = my_socket.accept()
 *   data = b''
 *   while b'\n' not in data:
 *       data += new_socket.recv(1024)
 *   print(data)
 *   new_socket.close()
 *   my_socket.close()
 */
export const practiceServer: BuiltinProgram = {
  name: 'practice_server',
  file: 'practice_server.py',
  lesson: 'Question 6 (answer)',
  summary: 'server on 127.0.0.1:12345: prints the bytes one client sends (up to its b\'\\n\')',
  async main(io) {
    // my_socket = socket.socket()
    const mySocket = await io.socket();
    // my_socket.bind(('127.0.0.1', 12345)); my_socket.listen()
    await mySocket.bind(['127.0.0.1', 12345]);
    await mySocket.listen();

    // new_socket, addr = my_socket.accept()
    const [newSocket] = await mySocket.accept();
    // data = b''
    let data: Uint8Array = new Uint8Array(0);
    // while b'\n' not in data: data += new_socket.recv(1024)
    data = await receiveUntilNewline(newSocket, data);
    // print(data)
    io.print(pyBytesRepr(data));
    // new_socket.close(); my_socket.close()
    await newSocket.close();
    await mySocket.close();
  },
};
