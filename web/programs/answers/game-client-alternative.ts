import { asciiBytes, concatBytes, indexOfByte, startsWithBytes } from '../../../shared/bytes.ts';
import { pyInt } from '../../../shared/py-int.ts';
import { TicTacToe } from '../../../shared/tictactoe.ts';
import type { BuiltinProgram } from '../program.ts';
import { pyIntStr } from '../py-int-str.ts';

const NEWLINE = 0x0a;

/**
 * Question 9 (answer), game_client_alternative.py: game_client.py with the client moving
 * first (still X = player 1). Its loop has the shape of game_server.py with 'client' and
 * 'server' exchanged: show the board, check for the server's win or a full board, prompt
 * 'Client moves (0 to quit): ', send MOVE<n> (or END), show, check for its own win or a
 * full board, then receive the server's move. Then game_socket.close().
 */
export const gameClientAlternative: BuiltinProgram = {
  name: 'game_client_alternative',
  file: 'game_client_alternative.py',
  lesson: 'Question 9 (answer)',
  summary: 'tic-tac-toe client for 127.0.0.1:3456 that moves first (you are X)',
  async main(io) {
    // game_socket = socket.socket()
    const gameSocket = await io.socket();
    // game_socket.connect(('127.0.0.1', 3456))
    await gameSocket.connect(['127.0.0.1', 3456]);

    // game = tictactoe.TicTacToe()
    const game = new TicTacToe();
    // while True:
    for (;;) {
      // # Display current Tic-Tac-Toe board: print(game.render_board())
      io.print(game.renderBoard());

      // # Check if server player won: if game.get_winner() is not None:
      if (game.getWinner() !== null) {
        io.print('Opponent wins!');
        io.print();
        break;
      }

      // # Check if board is full: if game.is_full():
      if (game.isFull()) {
        io.print('Stalemate');
        io.print();
        break;
      }

      // # Prompt for move from client player
      // move = -1
      let move = -1;
      // while move != 0 and not game.is_valid_move(move):
      while (move !== 0 && !game.isValidMove(move)) {
        // move = int(input('Client moves ' + '(0 to quit): '))
        move = pyInt(await io.input('Client moves ' + '(0 to quit): '));
      }
      // print()
      io.print();
      // if move == 0: send b'END\n', you quit
      if (move === 0) {
        await gameSocket.sendall(asciiBytes('END\n'));
        io.print('You quit, opponent wins!');
        io.print();
        break;
      }
      // game.make_move(1, move)
      game.makeMove(1, move);
      // game_socket.sendall(b'MOVE' + str(move).encode() + b'\n')   (move is 1-9 here)
      await gameSocket.sendall(concatBytes(concatBytes(asciiBytes('MOVE'), asciiBytes(String(move))), asciiBytes('\n')));

      // # Display current Tic-Tac-Toe board: print(game.render_board())
      io.print(game.renderBoard());

      // # Check if client player won: if game.get_winner() is not None:
      if (game.getWinner() !== null) {
        io.print('You win!');
        io.print();
        break;
      }

      // # Check if board is full: if game.is_full():
      if (game.isFull()) {
        io.print('Stalemate');
        io.print();
        break;
      }

      // # Receive move from server player
      // received = b''
      let received: Uint8Array = new Uint8Array(0);
      // while b'\n' not in received: received += game_socket.recv(1024)
      while (indexOfByte(received, NEWLINE) < 0) {
        received = concatBytes(received, await gameSocket.recv(1024));
      }
      // if received.startswith(b'MOVE'):
      if (startsWithBytes(received, asciiBytes('MOVE'))) {
        // move = int(received[4:])
        move = pyInt(received.subarray(4));
        // print('Server moves: ' + str(move)); print()
        io.print('Server moves: ' + pyIntStr(move, received.subarray(4)));
        io.print();
        // game.make_move(0, move)
        game.makeMove(0, move);
      } else if (startsWithBytes(received, asciiBytes('END'))) {
        // elif received.startswith(b'END'): opponent quits
        io.print('Opponent quits, you win!');
        io.print();
        break;
      }
    }

    // game_socket.close()
    await gameSocket.close();
  },
};
