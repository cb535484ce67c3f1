// Questions 6, 8, 9 and 10, and our own Question 11 (not in the worksheet): programs to write. The Check for each is web/lesson/exercise-panel.ts's
// (another part of the lesson); until it is there, the pane shows what to write and opens the
// files, each started from the worksheet program it changes.

export interface ExerciseFile {
  name: string;
  /** The device file to start from when this one does not exist yet (null: empty). */
  startFrom: string | null;
}

export interface Exercise {
  number: 6 | 8 | 9 | 10 | 11;
  /** The worksheet's pages it builds on. */
  pages: string;
  /** Ours, not the worksheet's (Question 11). */
  ours?: boolean;
  task: string;
  files: readonly ExerciseFile[];
}

export const EXERCISES: readonly Exercise[] = [
  {
    number: 6,
    pages: '12',
    task: "Send the other way: a client that sends b'Hello from client\\n' and a server that prints the bytes it receives.",
    files: [
      { name: 'practice_server.py', startFrom: 'basic_server.py' },
      { name: 'practice_client.py', startFrom: 'basic_client.py' },
    ],
  },
  {
    number: 8,
    pages: '18',
    task: 'Change the chat so that when either side sends quit, both programs close their sockets and end.',
    files: [
      { name: 'chat_quit_server.py', startFrom: 'chat_server.py' },
      { name: 'chat_quit_client.py', startFrom: 'chat_client.py' },
    ],
  },
  {
    number: 9,
    pages: '27-28',
    task: 'Change the tic-tac-toe game so that the client moves first.',
    files: [
      { name: 'game_server_alternative.py', startFrom: 'game_server.py' },
      { name: 'game_client_alternative.py', startFrom: 'game_client.py' },
    ],
  },
  {
    number: 10,
    pages: '29-30',
    task: 'Write the server that Program 11, the guess-the-number client, plays against: a number from 1 to 100, five tries, LOW or HIGH after a wrong guess.',
    files: [{ name: 'guess_server.py', startFrom: null }],
  },
  {
    number: 11,
    pages: '16-18',
    ours: true,
    task: 'Change the chat server (Program 6) so that it keeps talking with every client that connects: a client that stays silent must not hold up the others.',
    files: [{ name: 'chat_many_server.py', startFrom: 'chat_server.py' }],
  },
];

export function exerciseByNumber(number: number): Exercise | undefined {
  return EXERCISES.find((e) => e.number === number);
}
