// The steps of a turn in the worksheet's tic-tac-toe programs (Programs 9 and 10, and the
// Question 9 answers), shared by the four built-ins: each step is the same few Python lines
// in every one of them, with 'Server'/'Client' and the player index swapped. The worksheet
// lists the steps after Program 9: display and check, prompt and send, receive.

import { asciiBytes, concatBytes, startsWithBytes } from '../../../shared/bytes.ts';
import { pyInt } from '../../../shared/py-int.ts';
import type { TicTacToe } from '../../../shared/tictactoe.ts';
import type { PySocket } from '../net/py-socket.ts';
import type { ProgramIO } from './program.ts';
import { pyIntStr } from './py-int-str.ts';
import { receiveUntilNewline } from './receive-until-newline.ts';

export type TurnResult = 'continue' | 'game over';

/**
 *   print(game.render_board())
 *   if game.get_winner() is not None:
 *       print(winnerMessage); print(); break
 *   if game.is_full():
 *       print('Stalemate'); print(); break
 */
export function showBoard(io: ProgramIO, game: TicTacToe, winnerMessage: string): TurnResult {
  io.print(game.renderBoard());
  if (game.getWinner() !== null) {
    io.print(winnerMessage);
    io.print();
    return 'game over';
  }
  if (game.isFull()) {
    io.print('Stalemate');
    io.print();
    return 'game over';
  }
  return 'continue';
}

/**
 *   move = -1
 *   while move != 0 and not game.is_valid_move(move):
 *       move = int(input(who + ' moves ' + '(0 to quit): '))
 *   print()
 *   if move == 0:
 *       game_socket.sendall(b'END\n')
 *       print('You quit, opponent wins!'); print(); break
 *   game.make_move(player, move)
 *   game_socket.sendall(b'MOVE' + str(move).encode() + b'\n')
 */
export async function playOwnMove(
  io: ProgramIO,
  socket: PySocket,
  game: TicTacToe,
  player: number,
  who: 'Server' | 'Client',
): Promise<TurnResult> {
  let move = -1;
  while (move !== 0 && !game.isValidMove(move)) {
    move = pyInt(await io.input(who + ' moves ' + '(0 to quit): '));
  }
  io.print();
  if (move === 0) {
    await socket.sendall(asciiBytes('END\n'));
    io.print('You quit, opponent wins!');
    io.print();
    return 'game over';
  }
  game.makeMove(player, move);
  // A valid move is 1-9, so str(move) is its digit.
  await socket.sendall(concatBytes(concatBytes(asciiBytes('MOVE'), asciiBytes(String(move))), asciiBytes('\n')));
  return 'continue';
}

/**
 *   received = b''
 *   while b'\n' not in received:
 *       received += game_socket.recv(1024)
 *   if received.startswith(b'MOVE'):
 *       move = int(received[4:])
 *       print(who + ' moves: ' + str(move)); print()
 *       game.make_move(player, move)
 *   elif received.startswith(b'END'):
 *       print('Opponent quits, you win!'); print(); break
 *
 * Anything else is ignored and the loop goes round again, as in the Python; so is whatever
 * came after the first '\n'.
 */
export async function receiveOpponentMove(
  io: ProgramIO,
  socket: PySocket,
  game: TicTacToe,
  player: number,
  who: 'Server' | 'Client',
): Promise<TurnResult> {
  let received: Uint8Array = new Uint8Array(0);
  received = await receiveUntilNewline(socket, received);
  if (startsWithBytes(received, asciiBytes('MOVE'))) {
    const move = pyInt(received.subarray(4));
    io.print(who + ' moves: ' + pyIntStr(move, received.subarray(4)));
    io.print();
    game.makeMove(player, move);
  } else if (startsWithBytes(received, asciiBytes('END'))) {
    io.print('Opponent quits, you win!');
    io.print();
    return 'game over';
  }
  return 'continue';
}
