import type { BuiltinProgram } from './program.ts';
import { basicClient } from './lesson/basic-client.ts';
import { basicClientProtocol } from './lesson/basic-client-protocol.ts';
import { basicServer } from './lesson/basic-server.ts';
import { basicServerIterative } from './lesson/basic-server-iterative.ts';
import { basicServerSplit } from './lesson/basic-server-split.ts';
import { chatClient } from './lesson/chat-client.ts';
import { chatServer } from './lesson/chat-server.ts';
import { gameClient } from './lesson/game-client.ts';
import { gameServer } from './lesson/game-server.ts';
import { guessClient } from './lesson/guess-client.ts';

/**
 * The worksheet's Programs 1-11 in worksheet order (Program 8, tictactoe.py, is the library
 * behind shared/tictactoe.ts, not a program). The exercise answers are not here: they live in
 * answers/answer-programs.ts, which is only ever loaded through a dynamic import.
 */
export const LESSON_PROGRAMS: readonly BuiltinProgram[] = [
  basicServer,
  basicClient,
  basicServerSplit,
  basicClientProtocol,
  basicServerIterative,
  chatServer,
  chatClient,
  gameServer,
  gameClient,
  guessClient,
];
