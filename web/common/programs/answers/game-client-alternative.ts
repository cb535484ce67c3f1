import { TicTacToe } from '../../../../shared/tictactoe.ts';
import type { BuiltinProgram } from '../program.ts';
import { playOwnMove, receiveOpponentMove, showBoard } from '../tictactoe-turns.ts';

/**
 * Question 9 (answer), game_client_alternative.py: game_client.py with the client moving
 * first (still X = player 1). Its loop has the shape of game_server.py with 'client' and
 * 'server' exchanged. The Python is tests/fixtures/answers/game_client_alternative.py.
 */
export const gameClientAlternative: BuiltinProgram = {
  name: 'game_client_alternative',
  file: 'game_client_alternative.py',
  lesson: 'Question 9 (answer)',
  summary: 'tic-tac-toe client for 127.0.0.1:3456 that moves first (you are X)',
  async main(io) {
    const gameSocket = await io.socket();
    await gameSocket.connect(['127.0.0.1', 3456]);
    const game = new TicTacToe();
    for (;;) {
      // Display the board; check if the server player won, or the board is full
      if (showBoard(io, game, 'Opponent wins!') === 'game over') break;
      // Prompt for move from client player (player 1), send MOVE<n> or END
      if ((await playOwnMove(io, gameSocket, game, 1, 'Client')) === 'game over') break;
      // Display the board; check if the client player won, or the board is full
      if (showBoard(io, game, 'You win!') === 'game over') break;
      // Receive move from server player (player 0)
      if ((await receiveOpponentMove(io, gameSocket, game, 0, 'Server')) === 'game over') break;
    }
    await gameSocket.close();
  },
};
