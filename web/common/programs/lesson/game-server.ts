import { TicTacToe } from '../../../../shared/tictactoe.ts';
import type { BuiltinProgram } from '../program.ts';
import { playOwnMove, receiveOpponentMove, showBoard } from '../tictactoe-turns.ts';

/** Program 9, game_server.py: tic-tac-toe on port 3456; the server (O) moves first. */
export const gameServer: BuiltinProgram = {
  name: 'game_server',
  file: 'game_server.py',
  lesson: 'Program 9',
  summary: 'tic-tac-toe server on 127.0.0.1:3456: you are O and move first',
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
    // while True:
    for (;;) {
      // Display the board; check if the client player won, or the board is full
      if (showBoard(io, game, 'Opponent wins!') === 'game over') break;
      // Prompt for move from server player (player 0), send MOVE<n> or END
      if ((await playOwnMove(io, gameSocket, game, 0, 'Server')) === 'game over') break;
      // Display the board; check if the server player won, or the board is full
      if (showBoard(io, game, 'You win!') === 'game over') break;
      // Receive move from client player (player 1)
      if ((await receiveOpponentMove(io, gameSocket, game, 1, 'Client')) === 'game over') break;
    }
    // game_socket.close(); listen_socket.close()
    await gameSocket.close();
    await listenSocket.close();
  },
};
