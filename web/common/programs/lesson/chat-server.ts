import { asciiBytes, concatBytes } from '../../../../shared/bytes.ts';
import { utf8Decode, utf8Encode } from '../../../../shared/utf8.ts';
import type { BuiltinProgram } from '../program.ts';
import { receiveUntilNewline } from '../receive-until-newline.ts';


/** Program 6, chat_server.py: turn-based line chat on port 6789, the server types first. */
export const chatServer: BuiltinProgram = {
  name: 'chat_server',
  file: 'chat_server.py',
  lesson: 'Program 6',
  summary: 'chat server on 127.0.0.1:6789: you type first, then wait for the client (Ctrl-C stops it)',
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
      // data = input('INPUT SERVER: ').encode()
      let data = utf8Encode(await io.input('INPUT SERVER: '));
      // chat_socket.sendall(data + b'\n')
      await chatSocket.sendall(concatBytes(data, asciiBytes('\n')));
      // print('WAITING FOR CLIENT...')
      io.print('WAITING FOR CLIENT...');
      // data = b''
      data = new Uint8Array(0);
      // while b'\n' not in data: data += chat_socket.recv(1024)
      data = await receiveUntilNewline(chatSocket, data);
      // print('CLIENT WROTE: ' + data.decode())   (the decoded text keeps its '\n')
      io.print('CLIENT WROTE: ' + utf8Decode(data));
    }
  },
};
