import { asciiBytes, concatBytes } from '../../../../shared/bytes.ts';
import { pyInt } from '../../../../shared/py-int.ts';
import { utf8Decode, utf8Encode } from '../../../../shared/utf8.ts';
import type { BuiltinProgram } from '../program.ts';
import { receiveUntilNewline } from '../receive-until-newline.ts';


/** Program 7, chat_client.py: turn-based line chat, the client waits for the server first. */
export const chatClient: BuiltinProgram = {
  name: 'chat_client',
  file: 'chat_client.py',
  lesson: 'Program 7',
  summary: 'chat client: asks for address and port, then waits for the server and replies in turn',
  async main(io) {
    // chat_socket = socket.socket()
    const chatSocket = await io.socket();

    // address = input('Enter IPv4 address of server: ')
    const address = await io.input('Enter IPv4 address of server: ');
    // port = int(input('Enter port number of server: '))
    const port = pyInt(await io.input('Enter port number of server: '));

    // chat_socket.connect((address, port))
    await chatSocket.connect([address, port]);
    // while True:
    for (;;) {
      // print('WAITING FOR SERVER...')
      io.print('WAITING FOR SERVER...');
      // data = b''
      let data: Uint8Array = new Uint8Array(0);
      // while b'\n' not in data: data += chat_socket.recv(1024)
      data = await receiveUntilNewline(chatSocket, data);
      // print('SERVER WROTE: ' + data.decode())   (the decoded text keeps its '\n')
      io.print('SERVER WROTE: ' + utf8Decode(data));
      // data = input('INPUT CLIENT: ').encode()
      data = utf8Encode(await io.input('INPUT CLIENT: '));
      // chat_socket.sendall(data + b'\n')
      await chatSocket.sendall(concatBytes(data, asciiBytes('\n')));
    }
  },
};
