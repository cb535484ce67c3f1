import { asciiBytes, bytesEqual, concatBytes } from '../../../../shared/bytes.ts';
import { utf8Decode, utf8Encode } from '../../../../shared/utf8.ts';
import type { BuiltinProgram } from '../program.ts';
import { receiveUntilNewline } from '../receive-until-newline.ts';


/**
 * Question 8 (answer), chat_quit_server.py: chat_server.py, ending when either user types
 * 'quit'. The 'quit' is still sent, so the client learns of it and ends too; both sockets
 * are closed on the way out.
 *
 *   listen_socket = socket.socket()
 *   listen_socket.bind(('127.0.0.1', 6789))
 *   listen_socket.listen()
 *
 *   chat_socket, addr = listen_socket.accept()
 *   while True:
 *       message = input('INPUT SERVER: ')
 *       chat_socket.sendall(message.encode() + b'\n')
 *       if message == 'quit':
 *           break
 *       print('WAITING FOR CLIENT...')
 *       data = b''
 *       while b'\n' not in data:
 *           data += chat_socket.recv(1024)
 *       print('CLIENT WROTE: ' + data.decode())
 *       if data == b'quit\n':
 *           break
 *   chat_socket.close()
 *   listen_socket.close()
 */
export const chatQuitServer: BuiltinProgram = {
  name: 'chat_quit_server',
  file: 'chat_quit_server.py',
  lesson: 'Question 8 (answer)',
  summary: "chat server on 127.0.0.1:6789 that ends when either user types 'quit'",
  async main(io) {
    // listen_socket = socket.socket()
    const listenSocket = await io.socket();
    // listen_socket.bind(('127.0.0.1', 6789)); listen_socket.listen()
    await listenSocket.bind(['127.0.0.1', 6789]);
    await listenSocket.listen();

    // chat_socket, addr = listen_socket.accept()
    const [chatSocket] = await listenSocket.accept();
    // while True:
    for (;;) {
      // message = input('INPUT SERVER: ')
      const message = await io.input('INPUT SERVER: ');
      // chat_socket.sendall(message.encode() + b'\n')
      await chatSocket.sendall(concatBytes(utf8Encode(message), asciiBytes('\n')));
      // if message == 'quit': break
      if (message === 'quit') break;
      // print('WAITING FOR CLIENT...')
      io.print('WAITING FOR CLIENT...');
      // data = b''
      let data: Uint8Array = new Uint8Array(0);
      // while b'\n' not in data: data += chat_socket.recv(1024)
      data = await receiveUntilNewline(chatSocket, data);
      // print('CLIENT WROTE: ' + data.decode())
      io.print('CLIENT WROTE: ' + utf8Decode(data));
      // if data == b'quit\n': break
      if (bytesEqual(data, asciiBytes('quit\n'))) break;
    }
    // chat_socket.close(); listen_socket.close()
    await chatSocket.close();
    await listenSocket.close();
  },
};
