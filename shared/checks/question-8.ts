// Question 8: the turn-based chat (Programs 6 and 7) ends when either side types quit, and
// both programs close every socket before they end. The peer plays the other side; after
// quit it checks, from the lab server's side, that the student's program closed the
// connection (end of stream) and ended with no socket left (its netstat rows).

import type { PeerStep, QuestionChecks, Scenario } from './scenario.ts';

export const Q8_PORT = 6789;
const QUIT = 'quit';

const endsClean = (who: string): PeerStep[] => [
  { do: 'expect-eof', why: `after quit the ${who} should close its connection` },
  {
    do: 'expect-end',
    socketsClosed: true,
    why: `after quit the ${who} should close all its sockets and end`,
  },
];

function serverScenarios(file: string): Scenario[] {
  return [
    {
      name: 'server: the server types quit',
      file,
      port: Q8_PORT,
      stdin: ['hi there', QUIT],
      noMoreInput: 'end after sending quit',
      peer: [
        { do: 'connect' },
        { do: 'expect-line', line: 'hi there\n', why: 'the server sends what is typed, then a newline (as chat_server.py)' },
        { do: 'send', pieces: ['hello server\n'] },
        { do: 'expect-line', line: 'quit\n', why: 'the server should send quit to the client too, so that it ends' },
        ...endsClean('server'),
      ],
    },
    {
      name: 'server: the client sends quit',
      file,
      port: Q8_PORT,
      stdin: ['hi there'],
      noMoreInput: 'end when the client sent quit',
      peer: [
        { do: 'connect' },
        { do: 'expect-line', line: 'hi there\n', why: 'the server sends what is typed, then a newline (as chat_server.py)' },
        { do: 'send', pieces: ['quit\n'] },
        ...endsClean('server'),
      ],
    },
  ];
}

function clientScenarios(file: string): Scenario[] {
  return [
    {
      name: 'client: the client types quit',
      file,
      port: Q8_PORT,
      stdin: ['hello server', QUIT],
      noMoreInput: 'end after sending quit',
      peer: [
        { do: 'accept' },
        { do: 'send', pieces: ['hi there\n'] },
        { do: 'expect-line', line: 'hello server\n', why: 'the client sends what is typed, then a newline (as chat_client.py)' },
        { do: 'send', pieces: ['how are you?\n'] },
        { do: 'expect-line', line: 'quit\n', why: 'the client should send quit to the server too, so that it ends' },
        ...endsClean('client'),
      ],
    },
    {
      name: 'client: the server sends quit',
      file,
      port: Q8_PORT,
      stdin: [],
      noMoreInput: 'end when the server sent quit',
      peer: [{ do: 'accept' }, { do: 'send', pieces: ['quit\n'] }, ...endsClean('client')],
    },
  ];
}

const header = (side: string) =>
  `# Question 8: this is chat_${side}.py; change it so that typing quit on either side ends\n` +
  `# both programs, with every socket closed first.\n`;

export const QUESTION_8: QuestionChecks = {
  question: 8,
  files: [
    { name: 'chat_quit_server.py', header: header('server'), copyOf: 'chat_server.py' },
    { name: 'chat_quit_client.py', header: header('client'), copyOf: 'chat_client.py' },
  ],
  scenarios: [...serverScenarios('chat_quit_server.py'), ...clientScenarios('chat_quit_client.py')],
};
