import { TicTacToe } from '../../../../shared/tictactoe.ts';
import type { BuiltinProgram } from '../program.ts';
import { playOwnMove, receiveOpponentMove, showBoard } from '../tictactoe-turns.ts';

/** Program 10, game_client.py: tic-tac-toe against game_server; the client (X) moves second. */
export const gameClient: BuiltinProgram = {
  name: 'game_client',
  file: 'game_client.py',
  lesson: 'Program 10',
  summary: 'tic-tac-toe client for 127.0.0.1:3456: you are X and move second',
  async main(io) {
    // game_socket = socket.socket()
    const gameSocket = await io.socket();
    // game_socket.connect(('127.0.0.1', 3456))
    await gameSocket.connect(['127.0.0.1', 3456]);
    // game = tictactoe.TicTacToe()
    const game = new TicTacToe();
    // while True:
    for (;;) {
      // Receive move from server player (player 0)
      if ((await receiveOpponentMove(io, gameSocket, game, 0, 'Server')) === 'game over') break;
      // Display the board; check if the server player won, or the board is full
      if (showBoard(io, game, 'Opponent wins!') === 'game over') break;
      // Prompt for move from client player (player 1), send MOVE<n> or END
      if ((await playOwnMove(io, gameSocket, game, 1, 'Client')) === 'game over') break;
      // Display the board; check if the client player won, or the board is full
      if (showBoard(io, game, 'You win!') === 'game over') break;
    }
    // game_socket.close()
    await gameSocket.close();
  },
};
