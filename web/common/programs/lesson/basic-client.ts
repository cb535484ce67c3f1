import { pyBytesRepr } from '../../../../shared/py-repr.ts';
import { pyInt } from '../../../../shared/py-int.ts';
import type { BuiltinProgram } from '../program.ts';

/** Program 2, basic_client.py: asks for the server's address and port, prints one recv(1024). */
export const basicClient: BuiltinProgram = {
  name: 'basic_client',
  file: 'basic_client.py',
  lesson: 'Program 2',
  summary: 'client: asks for address and port, prints what one recv(1024) returns',
  async main(io) {
    // my_socket = socket.socket()
    const mySocket = await io.socket();

    // address = input('Enter IPv4 address of server: ')
    const address = await io.input('Enter IPv4 address of server: ');
    // port = int(input('Enter port number of server: '))
    const port = pyInt(await io.input('Enter port number of server: '));

    // my_socket.connect((address, port))
    await mySocket.connect([address, port]);
    // print(my_socket.recv(1024))
    io.print(pyBytesRepr(await mySocket.recv(1024)));
    // my_socket.close()
    await mySocket.close();
  },
};
