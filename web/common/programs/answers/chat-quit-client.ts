import { asciiBytes, bytesEqual, concatBytes } from '../../../../shared/bytes.ts';
import { pyInt } from '../../../../shared/py-int.ts';
import { utf8Decode, utf8Encode } from '../../../../shared/utf8.ts';
import type { BuiltinProgram } from '../program.ts';
import { receiveUntilNewline } from '../receive-until-newline.ts';


/**
 * Question 8 (answer), chat_quit_client.py: chat_client.py, ending when either user types
 * 'quit' (the 'quit' is still sent, so the server ends too), then closing its socket.
 *
 *   chat_socket = socket.socket()
 *
 *   address = input('Enter IPv4 address of server: ')
 *   port = int(input('Enter port number of server: '))
 *
 *   chat_socket.connect((address, port))
 *   while True:
 *       print('WAITING FOR SERVER...')
 *       data = b''
 *       while b'\n' not in data:
 *           data += chat_socket.recv(1024)
 *       print('SERVER WROTE: ' + data.decode())
 *       if data == b'quit\n':
 *           break
 *       message = input('INPUT CLIENT: ')
 *       chat_socket.sendall(message.encode() + b'\n')
 *       if message == 'quit':
 *           break
 *   chat_socket.close()
 */
export const chatQuitClient: BuiltinProgram = {
  name: 'chat_quit_client',
  file: 'chat_quit_client.py',
  lesson: 'Question 8 (answer)',
  summary: "chat client that ends when either user types 'quit'",
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
      // print('SERVER WROTE: ' + data.decode())
      io.print('SERVER WROTE: ' + utf8Decode(data));
      // if data == b'quit\n': break
      if (bytesEqual(data, asciiBytes('quit\n'))) break;
      // message = input('INPUT CLIENT: ')
      const message = await io.input('INPUT CLIENT: ');
      // chat_socket.sendall(message.encode() + b'\n')
      await chatSocket.sendall(concatBytes(utf8Encode(message), asciiBytes('\n')));
      // if message == 'quit': break
      if (message === 'quit') break;
    }
    // chat_socket.close()
    await chatSocket.close();
  },
};
