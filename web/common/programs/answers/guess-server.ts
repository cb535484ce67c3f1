import { asciiBytes } from '../../../../shared/bytes.ts';
import { LineTooLongError, NewlineFramer } from '../../../../shared/newline-framer.ts';
import { pyAddrRepr } from '../../../../shared/py-repr.ts';
import { pyInt } from '../../../../shared/py-int.ts';
import type { BuiltinProgram } from '../program.ts';
import { pyIntStr } from '../py-int-str.ts';

/** Tries the client gets before GAMEOVER. */
const MAX_TRIES = 5;

/**
 * Question 10 (answer), guess_server.py: the server for the worksheet's guess_client.py.
 * It picks a number from 1 to 100 and asks with b'GUESS\n'. Each guess is one line; a wrong
 * one gets b'LOW\n' (guess below the number: the client prints 'Your guess is too low.') or
 * b'HIGH\n', then b'GUESS\n' again, or b'GAMEOVER\n' after the fifth; a right one gets
 * b'WIN\n'. In Python:
 *
 *   listen_socket = socket.socket()
 *   listen_socket.bind(('127.0.0.1', 9999))
 *   listen_socket.listen()
 *
 *   s, addr = listen_socket.accept()
 *   print('Connected to: ' + str(addr))
 *   number = random.randint(1, 100)
 *   tries = 0
 *   s.sendall(b'GUESS\n')
 *   data = b''
 *   while True:
 *       while b'\n' not in data:
 *           chunk = s.recv(1024)
 *           if chunk == b'':          # client gone: stop instead of spinning
 *               break
 *           data += chunk
 *       if b'\n' not in data:
 *           print('Client disconnected.')
 *           break
 *       received = data[:data.find(b'\n')]
 *       data = data[len(received) + 1:]
 *       guess = int(received)
 *       tries += 1
 *       if guess == number:
 *           print('Guess ' + str(tries) + ': ' + str(guess) + ' (correct)')
 *           s.sendall(b'WIN\n')
 *           break
 *       if guess < number:
 *           print('Guess ' + str(tries) + ': ' + str(guess) + ' (too low)')
 *           s.sendall(b'LOW\n')
 *       else:
 *           print('Guess ' + str(tries) + ': ' + str(guess) + ' (too high)')
 *           s.sendall(b'HIGH\n')
 *       if tries == 5:
 *           print('Out of tries. The number was ' + str(number) + '.')
 *           s.sendall(b'GAMEOVER\n')
 *           break
 *       s.sendall(b'GUESS\n')
 *   s.close()
 *   listen_socket.close()
 *
 * Here the line splitting is shared/newline-framer.ts, which does the same as the
 * data/find/slice lines (a guess may arrive in pieces, or several in one recv), except
 * that it gives up on a line over 64 KiB (then the server ends as on a disconnect).
 */
export const guessServer: BuiltinProgram = {
  name: 'guess_server',
  file: 'guess_server.py',
  lesson: 'Question 10 (answer)',
  summary: 'guess-the-number server on 127.0.0.1:9999 for guess_client (5 tries, 1 to 100)',
  async main(io) {
    // listen_socket = socket.socket()
    const listenSocket = await io.socket();
    // listen_socket.bind(('127.0.0.1', 9999)); listen_socket.listen()
    await listenSocket.bind(['127.0.0.1', 9999]);
    await listenSocket.listen();

    // s, addr = listen_socket.accept()
    const [s, addr] = await listenSocket.accept();
    // print('Connected to: ' + str(addr))
    io.print('Connected to: ' + pyAddrRepr(addr));
    // number = random.randint(1, 100); tries = 0
    const number = io.randint(1, 100);
    let tries = 0;
    // s.sendall(b'GUESS\n')
    await s.sendall(asciiBytes('GUESS\n'));

    // data = b'' (the framer keeps what follows the last b'\n')
    const framer = new NewlineFramer();
    const lines: Uint8Array[] = [];
    // while True:
    for (;;) {
      // while b'\n' not in data: chunk = s.recv(1024); stop if b''
      let broken = '';
      while (lines.length === 0) {
        const chunk = await s.recv(1024);
        if (chunk.length === 0) {
          broken = 'Client disconnected.';
          break;
        }
        try {
          lines.push(...framer.push(chunk));
        } catch (err) {
          // Not a guess_client: 64 KiB without a newline. Give up like a disconnect.
          if (!(err instanceof LineTooLongError)) throw err;
          broken = 'Client sent a line that is too long.';
          break;
        }
      }
      if (broken !== '') {
        io.print(broken);
        break;
      }
      // received = data[:data.find(b'\n')]; data = data[len(received) + 1:]
      const received = lines.shift()!;
      // guess = int(received); tries += 1
      const guess = pyInt(received);
      const shown = pyIntStr(guess, received);
      tries += 1;
      // if guess == number: WIN
      if (guess === number) {
        io.print('Guess ' + String(tries) + ': ' + shown + ' (correct)');
        await s.sendall(asciiBytes('WIN\n'));
        break;
      }
      // if guess < number: LOW, else: HIGH
      if (guess < number) {
        io.print('Guess ' + String(tries) + ': ' + shown + ' (too low)');
        await s.sendall(asciiBytes('LOW\n'));
      } else {
        io.print('Guess ' + String(tries) + ': ' + shown + ' (too high)');
        await s.sendall(asciiBytes('HIGH\n'));
      }
      // if tries == 5: GAMEOVER
      if (tries === MAX_TRIES) {
        io.print('Out of tries. The number was ' + String(number) + '.');
        await s.sendall(asciiBytes('GAMEOVER\n'));
        break;
      }
      // s.sendall(b'GUESS\n')
      await s.sendall(asciiBytes('GUESS\n'));
    }

    // s.close(); listen_socket.close()
    await s.close();
    await listenSocket.close();
  },
};
