import { asciiBytes, bytesEqual, concatBytes, indexOfByte } from '../../../../shared/bytes.ts';
import { pyInt } from '../../../../shared/py-int.ts';
import type { BuiltinProgram } from '../program.ts';
import { pyIntStr } from '../py-int-str.ts';
import { receiveUntilNewline } from '../receive-until-newline.ts';

const NEWLINE = 0x0a;

/** Program 11, guess_client.py: guess-the-number client on port 9999. */
export const guessClient: BuiltinProgram = {
  name: 'guess_client',
  file: 'guess_client.py',
  lesson: 'Program 11',
  summary: 'guess-the-number client for 127.0.0.1:9999: five tries to find a number from 1 to 100',
  async main(io) {
    // s = socket.socket()
    const s = await io.socket();
    // s.connect(('127.0.0.1', 9999))
    await s.connect(['127.0.0.1', 9999]);

    // data = b''
    let data: Uint8Array = new Uint8Array(0);
    // while True:
    for (;;) {
      // while b'\n' not in data: data += s.recv(1024)
      data = await receiveUntilNewline(s, data);
      // received = data[:data.find(b'\n')]
      const received = data.subarray(0, indexOfByte(data, NEWLINE));
      // data = data[len(received) + 1:]
      data = data.subarray(received.length + 1);
      if (bytesEqual(received, asciiBytes('LOW'))) {
        // if received == b'LOW':
        io.print('Your guess is too low.');
      } else if (bytesEqual(received, asciiBytes('HIGH'))) {
        // elif received == b'HIGH':
        io.print('Your guess is too high.');
      } else if (bytesEqual(received, asciiBytes('GUESS'))) {
        // elif received == b'GUESS':
        // guess = int(input('Enter guess (1-100): '))
        const text = await io.input('Enter guess (1-100): ');
        const guess = pyInt(text);
        // s.sendall(str(guess).encode() + b'\n')
        await s.sendall(concatBytes(asciiBytes(pyIntStr(guess, text)), asciiBytes('\n')));
      } else if (bytesEqual(received, asciiBytes('WIN'))) {
        // elif received == b'WIN':
        io.print('You win!');
        break;
      } else if (bytesEqual(received, asciiBytes('GAMEOVER'))) {
        // elif received == b'GAMEOVER':
        io.print('You ran out of tries! Game over.');
        break;
      }
    }

    // s.close()
    await s.close();
  },
};
