import { asciiBytes } from '../../../../shared/bytes.ts';
import { pyInt } from '../../../../shared/py-int.ts';
import type { BuiltinProgram } from '../program.ts';

/**
 * Question 6 (answer), practice_client.py: basic_client the other way round.
 *
 *   my_socket = socket.socket()
 *   address = input('Enter IPv4 address of server: ')
 *   port = int(input('Enter port number of server: '))
 *   my_socket.connect((address, port))
 *   my_socket.sendall(b'Hello from client\n')
 *   my_socket.close()
 */
export const practiceClient: BuiltinProgram = {
  name: 'practice_client',
  file: 'practice_client.py',
  lesson: 'Question 6 (answer)',
  summary: "client: asks for address and port, sends b'Hello from client\\n'",
  async main(io) {
    // my_socket = socket.socket()
    const mySocket = await io.socket();

    // address = input('Enter IPv4 address of server: ')
    const address = await io.input('Enter IPv4 address of server: ');
    // port = int(input('Enter port number of server: '))
    const port = pyInt(await io.input('Enter port number of server: '));

    // my_socket.connect((address, port))
    await mySocket.connect([address, port]);
    // my_socket.sendall(b'Hello from client\n')
    await mySocket.sendall(asciiBytes('Hello from client\n'));
    // my_socket.close()
    await mySocket.close();
  },
};
