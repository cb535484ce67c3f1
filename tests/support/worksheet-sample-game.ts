// The worksheet's sample tic-tac-toe run (Programs 9 and 10): the server plays 8, 2, 5 and
// the client 4, 6. What each player's window shows, built from the board's rendering; with
// echo, a terminal shows the typed move after its prompt (a pipe does not).

export const SAMPLE_SERVER_MOVES = ['8', '2', '5'];
export const SAMPLE_CLIENT_MOVES = ['4', '6'];

export function board(cells: string): string {
  const c = cells.split('');
  const row = (i: number) => ` ${c[i]} | ${c[i + 1]} | ${c[i + 2]} \n`;
  return row(0) + '-----------\n' + row(3) + '-----------\n' + row(6);
}

export function sampleServerScreen(echo: boolean): string {
  const typed = (move: string) => (echo ? `${move}\n` : '');
  return (
    board('123456789') + '\n' +
    `Server moves (0 to quit): ${typed('8')}\n` +
    board('1234567O9') + '\n' +
    'Client moves: 4\n\n' +
    board('123X567O9') + '\n' +
    `Server moves (0 to quit): ${typed('2')}\n` +
    board('1O3X567O9') + '\n' +
    'Client moves: 6\n\n' +
    board('1O3X5X7O9') + '\n' +
    `Server moves (0 to quit): ${typed('5')}\n` +
    board('1O3XOX7O9') + '\n' +
    'You win!\n\n'
  );
}

export function sampleClientScreen(echo: boolean): string {
  const typed = (move: string) => (echo ? `${move}\n` : '');
  return (
    'Server moves: 8\n\n' +
    board('1234567O9') + '\n' +
    `Client moves (0 to quit): ${typed('4')}\n` +
    board('123X567O9') + '\n' +
    'Server moves: 2\n\n' +
    board('1O3X567O9') + '\n' +
    `Client moves (0 to quit): ${typed('6')}\n` +
    board('1O3X5X7O9') + '\n' +
    'Server moves: 5\n\n' +
    board('1O3XOX7O9') + '\n' +
    'Opponent wins!\n\n'
  );
}
