import { PyException } from './py-exception.ts';

/**
 * The worksheet's tictactoe.py (Program 8), line for line, so the browser's game server
 * and client print and decide exactly what the Python programs do, quirks included:
 *  - make_move does not validate: it overwrites occupied cells, and since the programs
 *    pass `int(received[4:])` straight in, cell 0 or a negative cell wraps around like
 *    Python's board[-1] (cell 0 is cell 9), while 10 or more raises IndexError;
 *  - the board stores player *indices*, so -1 renders as 'X' (PLAYERS[-1]) yet is a
 *    different player from 1 for get_winner;
 *  - get_winner checks the diagonals first, then row i and column i alternately, and
 *    returns the first complete line it meets.
 * Python ints arrive here as JS numbers (see py-int.ts): ±Infinity stands for an int too
 * big to index with; a non-integer behaves like a Python float index.
 */

export const N = 3;
/** Characters per cell label: len(str(N ** 2)). */
export const WIDTH = String(N ** 2).length;
export const PLAYERS: readonly string[] = ['O', 'X'];

/** A board cell: the index of the player who took it, or null (Python None). */
export type Cell = number | null;

/** CPython's Py_ssize_t range: larger ints cannot be used as an index at all. */
const PY_SSIZE_T_LIMIT = 2 ** 63;

/**
 * Python's `sequence[index]` index handling: negative indices count from the end;
 * out of range or non-int indices raise the error CPython raises.
 */
function pyIndex(length: number, index: number, sequenceType: 'list' | 'tuple'): number {
  if (Number.isNaN(index) || (Number.isFinite(index) && !Number.isInteger(index))) {
    throw new PyException('TypeError', `${sequenceType} indices must be integers or slices, not float`);
  }
  if (Math.abs(index) >= PY_SSIZE_T_LIMIT) {
    throw new PyException('IndexError', "cannot fit 'int' into an index-sized integer");
  }
  const wrapped = index < 0 ? index + length : index;
  if (wrapped < 0 || wrapped >= length) {
    throw new PyException('IndexError', `${sequenceType} index out of range`);
  }
  return wrapped;
}

/** Python's `a // b` (floor division). */
function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Python's `a % b` for b > 0: never negative. */
function pyMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

export class TicTacToe {
  /** board[row][column]; public like Python's self.board. */
  readonly board: Cell[][] = [];

  constructor() {
    for (let i = 0; i < N; i++) this.board.push(new Array<Cell>(N).fill(null));
  }

  /** One row with cell numbers or player symbols, e.g. ' O | 2 | X \n'. */
  renderRow(rowIndex: number): string {
    const start = rowIndex * N + 1;
    const row: (Cell | string)[] = this.board[pyIndex(N, rowIndex, 'list')]!.slice();
    for (let columnIndex = 0; columnIndex < N; columnIndex++) {
      const value = row[columnIndex] as Cell;
      let cell = value === null ? String(start + columnIndex) : PLAYERS[pyIndex(PLAYERS.length, value, 'tuple')]!;
      if (cell.length < WIDTH) cell += ' '.repeat(WIDTH - cell.length);
      row[columnIndex] = ' ' + cell + ' ';
    }
    return row.join('|') + '\n';
  }

  /** The three rows separated by dashed lines, ending in '\n'. */
  renderBoard(): string {
    const rows: string[] = [];
    for (let rowIndex = 0; rowIndex < N; rowIndex++) rows.push(this.renderRow(rowIndex));
    const divider = '-'.repeat((WIDTH + 3) * N - 1) + '\n';
    return rows.join(divider);
  }

  /** Puts the player in cell 1..9 without any check (see the class comment). */
  makeMove(playerIndex: number, cellIndex: number): void {
    const [rowIndex, columnIndex] = this.cellPosition(cellIndex);
    this.board[rowIndex]![columnIndex] = playerIndex;
  }

  isValidMove(cellIndex: number): boolean {
    if (cellIndex < 1 || cellIndex > N ** 2) return false;
    const [rowIndex, columnIndex] = this.cellPosition(cellIndex);
    return this.board[rowIndex]![columnIndex] === null;
  }

  /**
   * Python's `board[(cell_index - 1) // N][(cell_index - 1) % N]` lookup: the row index
   * wraps or raises like a list index. A non-integer cell is a Python float, so the row
   * index `// N` yields is a float too and the lookup raises TypeError.
   */
  private cellPosition(cellIndex: number): [number, number] {
    const index = cellIndex - 1;
    const rowIndex = Number.isInteger(index) || !Number.isFinite(index) ? floorDiv(index, N) : Number.NaN;
    return [pyIndex(N, rowIndex, 'list'), pyMod(index, N)];
  }

  isFull(): boolean {
    for (let rowIndex = 0; rowIndex < N; rowIndex++) {
      for (let columnIndex = 0; columnIndex < N; columnIndex++) {
        if (this.board[rowIndex]![columnIndex] === null) return false;
      }
    }
    return true;
  }

  /** The player index owning a complete line, or null; same checking order as Python. */
  getWinner(): number | null {
    const board = this.board;
    // Check diagonals
    if (board[0]![0] !== null) {
      let found = true;
      for (let i = 0; i < N; i++) {
        if (board[0]![0] !== board[i]![i]) {
          found = false;
          break;
        }
      }
      if (found) return board[0]![0]!;
    }
    if (board[0]![N - 1] !== null) {
      let found = true;
      for (let i = 0; i < N; i++) {
        if (board[0]![N - 1] !== board[i]![N - i - 1]) {
          found = false;
          break;
        }
      }
      if (found) return board[0]![N - 1]!;
    }

    // Check rows and columns
    for (let i = 0; i < N; i++) {
      if (board[i]![0] !== null) {
        let found = true;
        for (let j = 0; j < N; j++) {
          if (board[i]![0] !== board[i]![j]) {
            found = false;
            break;
          }
        }
        if (found) return board[i]![0]!;
      }
      if (board[0]![i] !== null) {
        let found = true;
        for (let j = 0; j < N; j++) {
          if (board[0]![i] !== board[j]![i]) {
            found = false;
            break;
          }
        }
        if (found) return board[0]![i]!;
      }
    }

    // No matching lines were found, so no winner
    return null;
  }
}
