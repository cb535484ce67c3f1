import { TicTacToe } from '../../../../shared/tictactoe.ts';
import type { BuiltinProgram } from '../program.ts';
import { playOwnMove, receiveOpponentMove, showBoard } from '../tictactoe-turns.ts';

/**
 * Question 9 (answer), game_server_alternative.py: game_server.py with the client moving
 * first. The players keep their symbols (server O = player 0, client X = player 1); the
 * server's loop now starts by receiving the client's move, so it has the shape of
 * game_client.py with 'client' and 'server' exchanged. The Python is
 * tests/fixtures/answers/game_server_alternative.py.
 */
export const gameServerAlternative: BuiltinProgram = {
  name: 'game_server_alternative',
  file: 'game_server_alternative.py',
  lesson: 'Question 9 (answer)',
  summary: 'tic-tac-toe server on 127.0.0.1:3456 where the client moves first (you are O)',
  async main(io) {
    const listenSocket = await io.socket();
    await listenSocket.bind(['127.0.0.1', 3456]);
    await listenSocket.listen();
    const [gameSocket] = await listenSocket.accept();
    const game = new TicTacToe();
    for (;;) {
      // Receive move from client player (player 1)
      if ((await receiveOpponentMove(io, gameSocket, game, 1, 'Client')) === 'game over') break;
      // Display the board; check if the client player won, or the board is full
      if (showBoard(io, game, 'Opponent wins!') === 'game over') break;
      // Prompt for move from server player (player 0), send MOVE<n> or END
      if ((await playOwnMove(io, gameSocket, game, 0, 'Server')) === 'game over') break;
      // Display the board; check if the server player won, or the board is full
      if (showBoard(io, game, 'You win!') === 'game over') break;
    }
    await gameSocket.close();
    await listenSocket.close();
  },
};
