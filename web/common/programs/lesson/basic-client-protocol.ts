import { pyInt } from '../../../../shared/py-int.ts';
import { pyBytesRepr } from '../../../../shared/py-repr.ts';
import type { BuiltinProgram } from '../program.ts';
import { receiveUntilNewline } from '../receive-until-newline.ts';


/** Program 4, basic_client_protocol.py: like basic_client, but reads until b'\n'. */
export const basicClientProtocol: BuiltinProgram = {
  name: 'basic_client_protocol',
  file: 'basic_client_protocol.py',
  lesson: 'Program 4',
  summary: "client: asks for address and port, receives until b'\\n', prints the bytes",
  async main(io) {
    // my_socket = socket.socket()
    const mySocket = await io.socket();

    // address = input('Enter IPv4 address of server: ')
    const address = await io.input('Enter IPv4 address of server: ');
    // port = int(input('Enter port number of server: '))
    const port = pyInt(await io.input('Enter port number of server: '));

    // my_socket.connect((address, port))
    await mySocket.connect([address, port]);
    // data = b''
    let data: Uint8Array = new Uint8Array(0);
    // while b'\n' not in data: data += my_socket.recv(1024)
    // (once the server has closed, recv returns b'' forever and CPython spins here too)
    data = await receiveUntilNewline(mySocket, data);
    // print(data)
    io.print(pyBytesRepr(data));
    // my_socket.close()
    await mySocket.close();
  },
};
