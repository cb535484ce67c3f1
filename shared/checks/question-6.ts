// Question 6: data the other way. The student's client sends b'Hello from client\n' and the
// student's server prints the bytes it receives; both on 127.0.0.1 port 12345, as Program 1.

import type { QuestionChecks } from './scenario.ts';

export const Q6_PORT = 12345;
const HELLO = 'Hello from client\n';

const SERVER_HEADER = `# Question 6: a server that prints the bytes a client sends it.
# Start from Program 1 (basic_server.py): listen on 127.0.0.1, port ${Q6_PORT}.
import socket

`;

const CLIENT_HEADER = `# Question 6: a client that sends b'Hello from client\\n' to the server.
# Start from Program 2 (basic_client.py).
import socket

`;

export const QUESTION_6: QuestionChecks = {
  question: 6,
  files: [
    { name: 'practice_server.py', header: SERVER_HEADER },
    { name: 'practice_client.py', header: CLIENT_HEADER },
  ],
  scenarios: [
    {
      name: 'server: prints the bytes a client sends',
      file: 'practice_server.py',
      port: Q6_PORT,
      stdin: [],
      noMoreInput: 'receive from the client and print it (nothing is typed)',
      peer: [
        { do: 'connect' },
        { do: 'send', pieces: [HELLO] },
        {
          do: 'expect-output',
          text: "b'Hello from client\\n'",
          why: 'the server should print the bytes it receives, as print(data) shows them',
        },
        { do: 'close' },
      ],
    },
    {
      name: "client: sends b'Hello from client\\n'",
      file: 'practice_client.py',
      port: Q6_PORT,
      stdin: [],
      noMoreInput: 'connect and send b\'Hello from client\\n\' (nothing else is typed)',
      peer: [
        { do: 'accept' },
        { do: 'expect-line', line: HELLO, why: "the client should send exactly b'Hello from client\\n'" },
        { do: 'close' },
      ],
    },
  ],
};
