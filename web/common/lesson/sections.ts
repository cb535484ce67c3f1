// The lesson pane's sections, in the worksheet's order, each a few sentences of our own that
// point at the worksheet's pages (the worksheet is not copied), the Programs it introduces,
// its questions (inline: 1-5 and 7; exercises with a Check: 6, 8, 9 and 10), and console
// commands worth trying there. One section is ours alone, "Serving many clients at once"
// (after the worksheet's page on iterative and concurrent servers): its programs are the
// lab's own (web/files/lab-programs/) and its Question 11 is not in the worksheet.

export interface LessonProgram {
  /** The worksheet's Program number; null for the lab's own programs. */
  number: number | null;
  /** The device's Python file (a new device starts with the worksheet's; the pane writes the lab's own when first run or opened). */
  file: string;
  /** The built-in (`run NAME`); none for tictactoe.py and for the lab's own programs. */
  builtin: string | null;
  /** A module to import, not a program to run (tictactoe.py): the pane only opens it. */
  library?: boolean;
  /** What it does, in a few words. */
  summary: string;
}

export interface LessonSection {
  /** Used in the deep link /lab/CODE#lesson=ID. */
  id: string;
  title: string;
  /** The worksheet's pages, e.g. '5-7'. */
  pages: string;
  /** Paragraphs of our own. */
  text: readonly string[];
  programs: readonly LessonProgram[];
  /** Inline questions (questions.ts). */
  questions: readonly number[];
  /** Exercises (web/lesson/exercise-panel.ts). */
  exercises: readonly number[];
  /** Shell commands to try, with what they show. */
  commands: readonly { command: string; shows: string }[];
  /** The encoding explorer sits in this section. */
  explorer?: boolean;
}

export const SECTIONS: readonly LessonSection[] = [
  {
    id: 'sockets',
    title: 'Sockets',
    pages: '1-3',
    text: [
      'Two programs running at once cannot see each other\'s variables. A socket is a two-way pipe between them that carries bytes, even between programs on different computers.',
      'On the way, bytes can be delayed or split into pieces, so a message may arrive in parts. The worksheet\'s pages 1-3 explain this; Question 1 checks the idea.',
    ],
    programs: [],
    questions: [1],
    exercises: [],
    commands: [],
  },
  {
    id: 'addresses',
    title: 'Addresses and ports',
    pages: '3-5',
    text: [
      'Each end of a socket is an IP address (which device) and a port (which program on it). 127.0.0.1 is always your own device; 0.0.0.0 in bind() means all of its addresses. Ports below 1024 are reserved.',
      'In this lab every browser is a device with its own address. The worksheet shows netstat on pages 4-5: try it here in a console.',
    ],
    programs: [],
    questions: [2],
    exercises: [],
    commands: [
      { command: 'ipconfig', shows: "this device's lab address" },
      { command: 'netstat -n', shows: "this device's sockets, each end as address:port" },
    ],
  },
  {
    id: 'connection',
    title: 'Creating a connection',
    pages: '5-7',
    text: [
      'The server binds a port and listens; the client connects to the server\'s address and port. accept() then gives the server a new socket for that client, on which both sides can send and receive, while the listening socket waits for the next one.',
      'Pages 5-7 draw the steps. Question 3 asks which statement about them is false.',
    ],
    programs: [],
    questions: [3],
    exercises: [],
    commands: [],
  },
  {
    id: 'str-bytes',
    title: 'str and bytes',
    pages: '7-8',
    text: [
      'A socket carries bytes, not text. A Python str is a sequence of Unicode code points; str.encode() turns it into UTF-8 bytes and bytes.decode() turns them back. A bytes literal is written b\'...\'.',
      'Pages 7-8 show the two conversions; Questions 4 and 5 ask about 中, and you can try both in Python or in the explorer below.',
    ],
    programs: [],
    questions: [4, 5],
    exercises: [],
    commands: [],
    explorer: true,
  },
  {
    id: 'socket-module',
    title: 'The socket module',
    pages: '8-12',
    text: [
      'socket.socket() makes a socket; bind, listen and accept make a server, connect makes a client, sendall and recv move the bytes. The table is on page 8, the summary on the last page.',
      'Run Program 1 in one console and Program 2 in another (address 127.0.0.1, port 12345): the server prints who connected and the client prints the bytes it got. Question 6 asks you to send the other way.',
    ],
    programs: [
      { number: 1, file: 'basic_server.py', builtin: 'basic_server', summary: 'accepts one client and sends it a line' },
      { number: 2, file: 'basic_client.py', builtin: 'basic_client', summary: 'connects and prints what one recv() gets' },
    ],
    questions: [],
    exercises: [6],
    commands: [],
  },
  {
    id: 'protocol',
    title: 'Designing a protocol',
    pages: '13-15',
    text: [
      'Program 3 sends its line in two pieces with a pause between them, and Program 2\'s single recv() gets only the first piece. One recv() is not one message.',
      'The fix is a protocol both sides agree on: here, every message ends with \\n and never contains one. Program 4 keeps calling recv() until it has seen \\n. Question 7 applies this to a robot.',
    ],
    programs: [
      { number: 3, file: 'basic_server_split.py', builtin: 'basic_server_split', summary: 'sends the line in two pieces, 0.1 s apart' },
      { number: 4, file: 'basic_client_protocol.py', builtin: 'basic_client_protocol', summary: 'reads until \\n, whatever the pieces' },
    ],
    questions: [7],
    exercises: [],
    commands: [],
  },
  {
    id: 'servers',
    title: 'Iterative and concurrent servers',
    pages: '16',
    text: [
      'Program 5 accepts clients in a loop, one after another: an iterative server. Run it, connect with Program 2 several times, and stop it with Ctrl-C.',
      'A concurrent server would serve several clients at once with threads; the worksheet (page 16) only names the idea. The next section shows it done three ways.',
    ],
    programs: [{ number: 5, file: 'basic_server_iterative.py', builtin: 'basic_server_iterative', summary: 'greets every client, one at a time, until Ctrl-C' }],
    questions: [],
    exercises: [],
    commands: [],
  },
  {
    id: 'many-clients',
    title: 'Serving many clients at once',
    pages: '16',
    text: [
      'Program 5 serves its clients one after another. While it is busy with one, the next client that connects waits in the listening socket\'s queue: connected, but not answered. Program 5 is done with each client in an instant, so nobody notices; a server that stays with its client, waiting for it to speak as the chat of the next section does, keeps every other client waiting for as long as that one is silent.',
      'The three programs below greet each client as Program 5 does, then send back every line it sends until it closes, and they serve all their clients at once, each in its own way. With selectors, one thread asks which of its non-blocking sockets are ready and serves only those. With asyncio, each client has a coroutine, and the event loop resumes whichever one can go on. With threading, each client has a thread of its own, which may wait in recv() while the others run.',
      'Run one of them, connect a client that stays (chat_client.py to port 12345, or a socket made at Python\'s >>> prompt), then run Program 4 in another console: it is greeted at once, while netstat -n still shows the first client\'s connection. Written like Program 5, the second client would get nothing until the first one left.',
      'The threads version needs a browser with JSPI (Chrome or Edge, version 137 or later, or Firefox 153 ESR). In a browser without it, the program stops when its first client comes, as it starts that client\'s thread: RuntimeError: can\'t start new thread, and why. The selectors and asyncio versions run in every browser.',
      'Question 11 is ours, not the worksheet\'s: it asks the same of the chat server of the next section. Do it once you have run Programs 6 and 7.',
    ],
    programs: [
      { number: null, file: 'many_server_selectors.py', builtin: null, summary: 'Program 5 for many clients at once: selectors and non-blocking sockets' },
      { number: null, file: 'many_server_asyncio.py', builtin: null, summary: 'the same with asyncio: a coroutine per client' },
      { number: null, file: 'many_server_threads.py', builtin: null, summary: 'the same with threading: a thread per client (needs JSPI)' },
    ],
    questions: [],
    exercises: [11],
    commands: [{ command: 'netstat -n', shows: 'one ESTABLISHED connection on port 12345 per client being served' }],
  },
  {
    id: 'chat',
    title: 'The chat',
    pages: '16-18',
    text: [
      'Programs 6 and 7 take turns sending one line each, on port 6789, with the same \\n protocol. Run the server in one console and the client in another, or with a partner on another device.',
      'Question 8 asks you to let either side end the chat by sending quit. Question 11, in the section before, asks for a chat server that talks with a second client while the first one is silent.',
    ],
    programs: [
      { number: 6, file: 'chat_server.py', builtin: 'chat_server', summary: 'chat: the server writes first' },
      { number: 7, file: 'chat_client.py', builtin: 'chat_client', summary: 'chat: the client answers' },
    ],
    questions: [],
    exercises: [8],
    commands: [],
  },
  {
    id: 'game',
    title: 'The turn-based game',
    pages: '19-30',
    text: [
      'Program 8 is a tic-tac-toe library (open it in the editor). Programs 9 and 10 play it over port 3456: each move is sent as MOVE and a cell number then \\n, and END\\n quits. Pages 23-24 list the steps each side takes.',
      'Question 9 asks for the same game with the client moving first. Program 11 is a guess-the-number client on port 9999; Question 10 asks you to write its server from the client\'s code alone.',
    ],
    programs: [
      { number: 8, file: 'tictactoe.py', builtin: null, library: true, summary: 'the board and its rules (a library)' },
      { number: 9, file: 'game_server.py', builtin: 'game_server', summary: 'tic-tac-toe: the server moves first' },
      { number: 10, file: 'game_client.py', builtin: 'game_client', summary: 'tic-tac-toe: the client' },
      { number: 11, file: 'guess_client.py', builtin: 'guess_client', summary: 'guess the number (needs a server: Question 10)' },
    ],
    questions: [],
    exercises: [9, 10],
    commands: [],
  },
];

/** The section with this id, or the first. */
export function sectionIndex(id: string | null): number {
  const at = SECTIONS.findIndex((s) => s.id === id);
  return at < 0 ? 0 : at;
}

/** The section id in a URL fragment such as #lesson=protocol, or null. */
export function sectionFromHash(hash: string): string | null {
  const match = /(?:^#|&)lesson=([a-z0-9-]+)/.exec(hash);
  return match && SECTIONS.some((s) => s.id === match[1]) ? match[1]! : null;
}
