import type { BuiltinProgram } from '../program.ts';
import { chatQuitClient } from './chat-quit-client.ts';
import { chatQuitServer } from './chat-quit-server.ts';
import { gameClientAlternative } from './game-client-alternative.ts';
import { gameServerAlternative } from './game-server-alternative.ts';
import { guessServer } from './guess-server.ts';
import { practiceClient } from './practice-client.ts';
import { practiceServer } from './practice-server.ts';

/**
 * The worksheet's exercise answers (Questions 6, 8, 9 and 10), in worksheet order.
 * Load this module only with `await import('./answers/answer-programs.ts')`: as its own
 * chunk it is handed out only once the teacher reveals the answers. Nothing outside
 * web/common/programs/answers/ may import it (or any file here) statically.
 */
export const ANSWER_PROGRAMS: readonly BuiltinProgram[] = [
  practiceServer,
  practiceClient,
  chatQuitServer,
  chatQuitClient,
  gameServerAlternative,
  gameClientAlternative,
  guessServer,
];
