// Question 9: tic-tac-toe (Programs 9 and 10) with the client moving first. Each scenario is
// a whole game, written as the moves in turn order (the client's first; 0 is "quit" by
// whoever's turn it is), played by the student's program (its moves typed) against our
// reference peer for the other side. The wire is the worksheet's: b'MOVEn\n' and b'END\n'.

import { TicTacToe } from '../tictactoe.ts';
import type { PeerStep, QuestionChecks, Scenario } from './scenario.ts';

export const Q9_PORT = 3456;
type Side = 'server' | 'client';
/** The worksheet's programs: the server is player 0 (O), the client player 1 (X). */
const PLAYER: Record<Side, number> = { server: 0, client: 1 };

export interface Game {
  name: string;
  /** In turn order, the client's first; 0 quits. */
  moves: number[];
}

export const Q9_GAMES: readonly Game[] = [
  { name: 'the client wins', moves: [1, 5, 2, 9, 3] },
  { name: 'the server wins', moves: [1, 5, 2, 3, 9, 7] },
  { name: 'stalemate', moves: [1, 5, 9, 2, 8, 7, 3, 6, 4] },
  { name: 'the client quits (0)', moves: [1, 5, 0] },
  { name: 'the server quits (0)', moves: [1, 0] },
];



/** What the student's program should print when the game is over, and the peer's steps. */
export function gameSteps(game: Game, student: Side): { stdin: string[]; steps: PeerStep[] } {
  const board = new TicTacToe();
  const stdin: string[] = [];
  const steps: PeerStep[] = [];
  let ending = '';
  for (let i = 0; i < game.moves.length; i++) {
    const mover: Side = i % 2 === 0 ? 'client' : 'server';
    const move = game.moves[i]!;
    const wire = move === 0 ? 'END\n' : `MOVE${move}\n`;
    if (mover === student) {
      stdin.push(String(move));
      const why =
        i === 0
          ? 'the client moves first: after connecting it asks for its move and sends it'
          : move === 0
            ? 'typing 0 quits: the program sends END'
            : `the ${student} sends its move as MOVE${move}`;
      steps.push({ do: 'expect-line', line: wire, why });
    } else {
      steps.push({ do: 'send', pieces: [wire] });
    }
    if (move === 0) {
      ending = mover === student ? 'You quit, opponent wins!' : 'Opponent quits, you win!';
      break;
    }
    board.makeMove(PLAYER[mover], move);
    if (board.getWinner() !== null) {
      ending = mover === student ? 'You win!' : 'Opponent wins!';
      break;
    }
    if (board.isFull()) {
      ending = 'Stalemate';
      break;
    }
  }
  steps.push({ do: 'expect-output', text: ending, why: `the game is over: the ${student} should print ${JSON.stringify(ending)}` });
  steps.push({ do: 'expect-eof', why: `the game is over: the ${student} should close its socket` });
  steps.push({ do: 'expect-end', socketsClosed: false, why: `the game is over: the ${student} should end` });
  return { stdin, steps };
}

function scenario(game: Game, student: Side, first: boolean): Scenario {
  const file = student === 'server' ? 'game_server_alternative.py' : 'game_client_alternative.py';
  const { stdin, steps } = gameSteps(game, student);
  const opening: PeerStep[] =
    student === 'server'
      ? [{ do: 'connect' }]
      : [{ do: 'accept' }];
  // Once per side, the peer holds its first move: a server that still moves first shows it now.
  if (first && student === 'server') {
    opening.push({ do: 'quiet', why: 'the client moves first: the server must wait for its move before asking for its own' });
  }
  return {
    name: `${student}: ${game.name}`,
    file,
    port: Q9_PORT,
    stdin,
    noMoreInput: `stop: the game is over (${game.name})`,
    peer: [...opening, ...steps],
  };
}

const header = (side: Side) =>
  `# Question 9: this is game_${side}.py; change it so that the client moves first.\n`;

export const QUESTION_9: QuestionChecks = {
  question: 9,
  files: [
    { name: 'game_server_alternative.py', header: header('server'), copyOf: 'game_server.py' },
    { name: 'game_client_alternative.py', header: header('client'), copyOf: 'game_client.py' },
  ],
  scenarios: (['server', 'client'] as const).flatMap((side) => Q9_GAMES.map((game, i) => scenario(game, side, i === 0))),
};


