import { asciiBytes, concatBytes, indexOfByte, startsWithBytes } from '../../../shared/bytes.ts';
import { pyInt } from '../../../shared/py-int.ts';
import { TicTacToe } from '../../../shared/tictactoe.ts';
import type { BuiltinProgram } from '../program.ts';
import { pyIntStr } from '../py-int-str.ts';

const NEWLINE = 0x0a;

/**
 * Question 9 (answer), game_server_alternative.py: game_server.py with the client moving
 * first. The players keep their symbols (server O = player 0, client X = player 1); the
 * server's loop now starts by receiving the client's move, i.e. it has the shape of
 * game_client.py with 'client' and 'server' exchanged:
 *
 *   listen_socket = socket.socket()
 *   listen_socket.bind(('127.0.0.1', 3456))
 *   listen_socket.listen()
 *
 *   game_socket, addr = listen_socket.accept()
 *   game = tictactoe.TicTacToe()
 *   while True:
 *       # Receive move from client player
 *       received = b''
 *       while b'\n' not in received:
 *           received += game_socket.recv(1024)
 *       if received.startswith(b'MOVE'):
 *           move = int(received[4:])
 *           print('Client moves: ' + str(move))
 *           print()
 *           game.make_move(1, move)
 *       elif received.startswith(b'END'):
 *           print('Opponent quits, you win!')
 *           print()
 *           break
 *
 *       (then game_server.py's lines 11-54: show the board, check for the client's win or
 *       a full board, prompt 'Server moves (0 to quit): ', send, show, check again)
 *
 *   game_socket.close()
 *   listen_socket.close()
 */
export const gameServerAlternative: BuiltinProgram = {
  name: 'game_server_alternative',
  file: 'game_server_alternative.py',
  lesson: 'Question 9 (answer)',
  summary: 'tic-tac-toe server on 127.0.0.1:3456 where the client moves first (you are O)',
  async main(io) {
    // listen_socket = socket.socket()
    const listenSocket = await io.socket();
    // listen_socket.bind(('127.0.0.1', 3456)); listen_socket.listen()
    await listenSocket.bind(['127.0.0.1', 3456]);
    await listenSocket.listen();

    // game_socket, addr = listen_socket.accept()
    const [gameSocket] = await listenSocket.accept();
    // game = tictactoe.TicTacToe()
    const game = new TicTacToe();
    let move: number;
    // while True:
    for (;;) {
      // # Receive move from client player
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
        // print('Client moves: ' + str(move)); print()
        io.print('Client moves: ' + pyIntStr(move, received.subarray(4)));
        io.print();
        // game.make_move(1, move)
        game.makeMove(1, move);
      } else if (startsWithBytes(received, asciiBytes('END'))) {
        // elif received.startswith(b'END'): opponent quits
        io.print('Opponent quits, you win!');
        io.print();
        break;
      }

      // # Display current Tic-Tac-Toe board: print(game.render_board())
      io.print(game.renderBoard());

      // # Check if client player won: if game.get_winner() is not None:
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

      // # Prompt for move from server player
      // move = -1
      move = -1;
      // while move != 0 and not game.is_valid_move(move):
      while (move !== 0 && !game.isValidMove(move)) {
        // move = int(input('Server moves ' + '(0 to quit): '))
        move = pyInt(await io.input('Server moves ' + '(0 to quit): '));
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
      // game.make_move(0, move)
      game.makeMove(0, move);
      // game_socket.sendall(b'MOVE' + str(move).encode() + b'\n')   (move is 1-9 here)
      await gameSocket.sendall(concatBytes(concatBytes(asciiBytes('MOVE'), asciiBytes(String(move))), asciiBytes('\n')));

      // # Display current Tic-Tac-Toe board: print(game.render_board())
      io.print(game.renderBoard());

      // # Check if server player won: if game.get_winner() is not None:
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
    }

    // game_socket.close(); listen_socket.close()
    await gameSocket.close();
    await listenSocket.close();
  },
};
