// Question 10: the student's guess_server.py against the logic of the worksheet's
// guess_client.py (Program 11), played by our reference client on 127.0.0.1:9999. The secret
// is fixed per scenario: the check makes random's pick return it (see docs/checks.md).

import type { PeerStep, QuestionChecks, Scenario } from './scenario.ts';

export const Q10_PORT = 9999;
export const Q10_TRIES = 5;

interface Game {
  name: string;
  secret: number;
  guesses: number[];
  /** The first guess, sent in these pieces (they join to the guess and its newline). */
  pieces?: string[];
}

const GAMES: readonly Game[] = [
  { name: 'a win on the first try', secret: 42, guesses: [42] },
  { name: 'a win on the fifth try', secret: 73, guesses: [50, 80, 70, 75, 73] },
  { name: 'GAMEOVER after five misses', secret: 30, guesses: [1, 100, 50, 20, 25] },
  { name: 'secret 1: 2 is HIGH, then 1 wins', secret: 1, guesses: [2, 1] },
  { name: 'secret 100: 99 is LOW, then 100 wins', secret: 100, guesses: [99, 100] },
  { name: 'a guess sent in two pieces', secret: 42, guesses: [42], pieces: ['4', '2\n'] },
];

export function guessSteps(game: Game): PeerStep[] {
  const steps: PeerStep[] = [{ do: 'connect' }];
  for (let i = 0; i < game.guesses.length; i++) {
    const guess = game.guesses[i]!;
    const n = i + 1;
    steps.push({
      do: 'expect-line',
      line: 'GUESS\n',
      why: i === 0 ? 'the server asks for a guess first with GUESS' : `after a wrong guess with tries left (${n - 1} of ${Q10_TRIES} used), the server asks again with GUESS`,
    });
    const pieces = i === 0 && game.pieces ? game.pieces : [`${guess}\n`];
    steps.push({ do: 'send', pieces });
    const split = pieces.length > 1 ? ` (it came in ${pieces.length} pieces: one recv is not one line, read until b'\\n')` : '';
    if (guess === game.secret) {
      steps.push({ do: 'expect-line', line: 'WIN\n', why: `${guess} is the secret number: the server sends WIN${split}` });
      break;
    }
    const reply = guess < game.secret ? 'LOW' : 'HIGH';
    steps.push({
      do: 'expect-line',
      line: `${reply}\n`,
      why: `${guess} is ${reply === 'LOW' ? 'less' : 'more'} than the secret ${game.secret}: the server sends ${reply}${split}`,
    });
    if (n === Q10_TRIES) {
      steps.push({ do: 'expect-line', line: 'GAMEOVER\n', why: `that was the fifth wrong guess: the server sends GAMEOVER (five tries, not ${Q10_TRIES + 1})` });
    }
  }
  steps.push({ do: 'close' });
  return steps;
}

function scenario(game: Game): Scenario {
  return {
    name: game.name,
    file: 'guess_server.py',
    port: Q10_PORT,
    stdin: [],
    secret: game.secret,
    noMoreInput: 'play with the client over the socket (nothing is typed)',
    peer: guessSteps(game),
  };
}

const HEADER = `# Question 10: the server for Program 11 (guess_client.py).
# Listen on 127.0.0.1 port ${Q10_PORT}; pick a number from 1 to 100 with random.randint;
# the client has ${Q10_TRIES} tries. Lines on the wire: GUESS, LOW, HIGH, WIN, GAMEOVER.
import random
import socket

`;

export const QUESTION_10: QuestionChecks = {
  question: 10,
  files: [{ name: 'guess_server.py', header: HEADER }],
  scenarios: GAMES.map(scenario),
};
