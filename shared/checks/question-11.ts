// Question 11 (ours, not the worksheet's): chat_server.py (Program 6) changed so that it keeps
// talking with every client that connects. Each client has the conversation Program 6 has
// with its one: the server sends a typed line first, then, each time that client's line
// comes, prints it and sends the next typed line to that client. A client that stays silent
// must not hold up the others. The peer plays several chat clients (A, B, C), each as
// chat_client.py would; the server's typed lines are scripted in the order the conversation
// needs them, which is the order a server serving everyone asks for them.

import type { PeerStep, QuestionChecks, Scenario } from './scenario.ts';

export const Q11_PORT = 6789;
export const Q11_FILE = 'chat_many_server.py';

/** Client `who` connects and gets the server's first line, typed as `typed`. */
function greeted(who: string, typed: string, why: string): PeerStep[] {
  return [
    { do: 'connect', client: who },
    { do: 'expect-line', client: who, line: `${typed}\n`, why },
  ];
}

/** Client `who` writes `line`; the server prints it and answers with what is typed next. */
function answered(who: string, line: string, reply: string, why: string): PeerStep[] {
  return [
    { do: 'send', client: who, pieces: [`${line}\n`] },
    { do: 'expect-output', text: line, why: `the server prints what client ${who} wrote (as chat_server.py prints CLIENT WROTE: ...)` },
    { do: 'expect-line', client: who, line: `${reply}\n`, why },
  ];
}

const BUSY = '(a server that serves one client at a time is still waiting for the first one\'s line)';

const SCENARIOS: Scenario[] = [
  {
    name: 'one client, as chat_server.py',
    file: Q11_FILE,
    port: Q11_PORT,
    typedOnly: true,
    stdin: ['hello A', 'how are you, A?'],
    noMoreInput: 'wait for a client to write (nothing more is typed in this scenario)',
    peer: [
      ...greeted('A', 'hello A', 'once a client connects, the server sends it the line typed first (as chat_server.py)'),
      ...answered('A', 'hi from A', 'how are you, A?', 'after client A wrote, the server sends A the next typed line'),
    ],
  },
  {
    name: 'a second client while the first is silent',
    file: Q11_FILE,
    port: Q11_PORT,
    typedOnly: true,
    stdin: ['hello A', 'hello B', 'welcome B', 'back to A'],
    noMoreInput: 'wait for the clients to write (nothing more is typed in this scenario)',
    peer: [
      ...greeted('A', 'hello A', 'once a client connects, the server sends it the line typed first (as chat_server.py)'),
      ...greeted('B', 'hello B', `client B connected while client A is silent: the server should send B the next typed line ${BUSY}`),
      ...answered('B', 'hi from B', 'welcome B', 'after client B wrote, the server sends B the next typed line, while A is still silent'),
      ...answered('A', 'hi from A', 'back to A', 'client A wrote at last: the server still talks with it and sends A the next typed line'),
    ],
  },
  {
    name: 'three clients, the last one writes first',
    file: Q11_FILE,
    port: Q11_PORT,
    typedOnly: true,
    stdin: ['hello A', 'hello B', 'hello C', 'welcome C', 'welcome A'],
    noMoreInput: 'wait for the clients to write (nothing more is typed in this scenario)',
    peer: [
      ...greeted('A', 'hello A', 'once a client connects, the server sends it the line typed first (as chat_server.py)'),
      ...greeted('B', 'hello B', `client B connected while client A is silent: the server should send B the next typed line ${BUSY}`),
      ...greeted('C', 'hello C', `client C connected while A and B are silent: the server should send C the next typed line ${BUSY}`),
      ...answered('C', 'hi from C', 'welcome C', 'after client C wrote, the server sends C the next typed line'),
      ...answered('A', 'hi from A', 'welcome A', 'after client A wrote, the server sends A the next typed line'),
    ],
  },
];

const HEADER = `# Question 11 (not in the worksheet): this is chat_server.py; change it so that it keeps
# talking with every client that connects. With each client the server has the conversation
# chat_server.py has with its one: it sends a typed line first, then each time that client's
# line comes it prints it and sends that client the next typed line. A client that stays
# silent must not hold up the others: use threads, selectors or asyncio (the lesson pane's
# section "Serving many clients at once" has a server written each way).
`;

export const QUESTION_11: QuestionChecks = {
  question: 11,
  files: [{ name: Q11_FILE, header: HEADER, copyOf: 'chat_server.py' }],
  scenarios: SCENARIOS,
};
