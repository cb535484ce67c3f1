import { test } from 'vitest';
import assert from 'node:assert/strict';
import { runPython } from '../tests/support/python-oracle.ts';
import { LESSON_PROGRAMS_DIR } from '../tests/support/python-process.ts';
import { N, PLAYERS, TicTacToe, WIDTH } from './tictactoe.ts';



/** Deterministic PRNG (mulberry32) so failures reproduce. */
function makeRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Numbers travel as strings so Python gets exact ints (10**20) or floats ('2.5', 'nan').
type Move = [player: string, cell: string];
const GAME_COUNT = 500;
const random = makeRandom(2024);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const HUGE_CELLS = ['100000000000000000000', '-100000000000000000000', '30000000000000000000', '20000000000000000000', '9007199254740993'];
const ODD_CELLS = ['2.5', '0.5', '-0.5', 'nan'];

const games: Move[][] = [];
for (let g = 0; g < GAME_COUNT; g++) {
  const moves: Move[] = [];
  let player = 0;
  const length = 1 + Math.floor(random() * 14); // often longer than a game: play on after a win
  for (let m = 0; m < length; m++) {
    const playerRoll = random();
    if (playerRoll < 0.7) player = 1 - player;
    else if (playerRoll > 0.85) player = pick([0, 1, -1, -2]);
    // else: the same player moves again
    const playerText = random() < 0.01 ? pick(['2', '0.5']) : String(player);
    const cellRoll = random();
    let cell: string;
    if (cellRoll < 0.8) cell = String(1 + Math.floor(random() * 9));
    else if (cellRoll < 0.88) cell = String(-Math.floor(random() * 10)); // 0 .. -9: wraps, -9 raises
    else if (cellRoll < 0.94) cell = pick(['10', '11', '12']);
    else if (cellRoll < 0.97) cell = pick(HUGE_CELLS);
    else cell = pick(ODD_CELLS);
    moves.push([playerText, cell]);
  }
  games.push(moves);
}
const VALID_PROBES = [...Array.from({ length: 22 }, (_, i) => String(i - 10)), ...HUGE_CELLS, ...ODD_CELLS];
const ROW_PROBES = [-4, -3, -2, -1, 0, 1, 2, 3];

const PYTHON_ORACLE = String.raw`
import json, sys
sys.path.insert(0, ${JSON.stringify(LESSON_PROGRAMS_DIR)})
import tictactoe
cases = json.loads(sys.stdin.buffer.read())
def num(text):
    try:
        return int(text)
    except ValueError:
        return float(text)
def attempt(fn):
    try:
        return {'ok': fn()}
    except Exception as e:
        return {'err': type(e).__name__ + ': ' + str(e)}
out = {'constants': [tictactoe.N, tictactoe.WIDTH, list(tictactoe.PLAYERS)], 'games': []}
for moves in cases['games']:
    game = tictactoe.TicTacToe()
    snapshots = [{'board': attempt(game.render_board)}]
    for player, cell in moves:
        snapshots.append({
            'move': attempt(lambda: game.make_move(num(player), num(cell))),
            'board': attempt(game.render_board),
            'rows': [attempt(lambda: game.render_row(r)) for r in cases['rowProbes']],
            'full': game.is_full(),
            'winner': game.get_winner(),
            'valid': [attempt(lambda: game.is_valid_move(num(c))) for c in cases['validProbes']],
        })
    out['games'].append(snapshots)
sys.stdout.write(json.dumps(out))
`;

const expected = runPython(PYTHON_ORACLE, { games, validProbes: VALID_PROBES, rowProbes: ROW_PROBES });

function attempt<T>(fn: () => T): { ok: T | null } | { err: string } {
  try {
    return { ok: fn() ?? null };
  } catch (error) {
    return { err: String(error) };
  }
}

test('constants match tictactoe.py', () => {
  assert.deepEqual([N, WIDTH, [...PLAYERS]], expected.constants);
});

test(`${GAME_COUNT} random games match tictactoe.py after every move`, () => {
  let errorsSeen = 0;
  games.forEach((moves, g) => {
    const game = new TicTacToe();
    const snapshots: unknown[] = [{ board: attempt(() => game.renderBoard()) }];
    for (const [player, cell] of moves) {
      const move = attempt(() => game.makeMove(Number(player), Number(cell)));
      if ('err' in move) errorsSeen++;
      snapshots.push({
        move,
        board: attempt(() => game.renderBoard()),
        rows: ROW_PROBES.map((r) => attempt(() => game.renderRow(r))),
        full: game.isFull(),
        winner: game.getWinner(),
        valid: VALID_PROBES.map((c) => attempt(() => game.isValidMove(Number(c)))),
      });
    }
    assert.deepEqual(snapshots, expected.games[g], `game ${g}: ${JSON.stringify(moves)}`);
  });
  assert.ok(errorsSeen > 20, 'the random games should exercise the IndexError/TypeError paths');
});

test('empty board rendering', () => {
  assert.equal(new TicTacToe().renderBoard(), ' 1 | 2 | 3 \n-----------\n 4 | 5 | 6 \n-----------\n 7 | 8 | 9 \n');
});

test('quirks: cell 0 is cell 9, -1 renders as X but is not player 1, 10 raises', () => {
  const game = new TicTacToe();
  game.makeMove(0, 0);
  assert.equal(game.board[2]![2], 0);
  game.makeMove(-1, 1);
  game.makeMove(1, 2);
  assert.equal(game.renderRow(0), ' X | X | 3 \n');
  game.makeMove(1, 3);
  assert.equal(game.getWinner(), null); // -1, 1, 1 is not a line
  assert.throws(() => game.makeMove(0, 10), { message: 'IndexError: list index out of range' });
});

test('two complete lines (possible since moves overwrite): the first one checked wins', () => {
  // Every line crosses the main diagonal or each other except parallel rows/columns,
  // so order only shows between those: row 0 is checked before row 2, column 0 before 2.
  const rows = new TicTacToe();
  for (const cell of [7, 8, 9]) rows.makeMove(1, cell);
  for (const cell of [1, 2, 3]) rows.makeMove(0, cell);
  assert.equal(rows.getWinner(), 0);
  const columns = new TicTacToe();
  for (const cell of [1, 4, 7]) columns.makeMove(1, cell);
  for (const cell of [3, 6, 9]) columns.makeMove(0, cell);
  assert.equal(columns.getWinner(), 1);
});
