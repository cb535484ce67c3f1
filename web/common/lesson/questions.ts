// The worksheet's multiple-choice Questions 1-5 and 7, in our own short words (the byte
// strings of Question 7 are as the worksheet gives them: they are what is asked about), with
// the right letter and, for every choice, why it is right or wrong. The worksheet has the
// full wording; `page` points there.

export type Letter = 'A' | 'B' | 'C' | 'D';

export interface Choice {
  letter: Letter;
  text: string;
  /** Shown as code (a Python value or bytes literal). */
  code?: boolean;
  /** One paragraph: why this choice is right, or why it cannot be. */
  reason: string;
}

export interface InlineQuestion {
  number: 1 | 2 | 3 | 4 | 5 | 7;
  /** The worksheet's page where the question is. */
  page: number;
  stem: string;
  /** An expression the stem asks about, shown as code. */
  expression?: string;
  choices: readonly Choice[];
  answer: Letter;
  /** Lines to type into the console's Python (>>>) to see for oneself. */
  tryIt?: readonly string[];
}

export const QUESTIONS: readonly InlineQuestion[] = [
  {
    number: 1,
    page: 3,
    stem: 'Two Python programs run at the same time. Which way of getting data from one to the other does NOT work?',
    answer: 'C',
    choices: [
      { letter: 'A', text: 'One copies it to the system clipboard; the other reads the clipboard.', reason: 'This works: the clipboard belongs to the operating system, not to one program, so any program can put data there and any other can read it back. Clumsy, but it works.' },
      { letter: 'B', text: 'One writes it to a file everyone may read; the other reads that file.', reason: 'This works: a file lives on the disk, outside both programs, so one can write it and the other read it.' },
      { letter: 'C', text: 'One puts it in a Python variable; the other reads the same variable.', reason: 'Right: each running program has its own memory. A variable exists only inside the program that made it, so another program never sees it, even with the same name.' },
      { letter: 'D', text: 'They set up a socket connection and send it through the socket.', reason: 'This works: it is exactly what sockets are for, and what this lab does.' },
    ],
  },
  {
    number: 2,
    page: 5,
    stem: 'Which statement is true? We can tell which program, on which machine, is one end of a socket using only…',
    answer: 'D',
    choices: [
      { letter: 'A', text: '…an IPv4 address.', reason: 'Not enough: an address names a device, and many programs on that device share it. Something must say which program.' },
      { letter: 'B', text: '…an IPv4 or IPv6 address.', reason: 'Not enough: an IPv6 address is longer, but it still names only the device, not the program on it.' },
      { letter: 'C', text: '…a port number.', reason: 'Not enough: every device has its own ports 0-65535, so port 12345 on two computers is two different programs. The address must say which device.' },
      { letter: 'D', text: '…an IPv4 or IPv6 address and a port number.', reason: 'Right: the address picks the device and the port picks the program on it, so the pair names one end of a socket (netstat shows ends this way: 10.1.0.2:12345).' },
    ],
  },
  {
    number: 3,
    page: 7,
    stem: 'Which statement about sockets is FALSE?',
    answer: 'B',
    choices: [
      { letter: 'A', text: "The client must know the server's address and port before connecting; the server need not know the client's.", reason: "True, so not the answer: the client has to say where to connect. The server learns the client's address and port only when accept() returns them." },
      { letter: 'B', text: "In every connection, the client's port must be the same as the server's.", reason: "Right, this is false: the client's port is picked for it when it connects. Program 1 listens on 12345 and prints Connected to: ('127.0.0.1', 50831): two different ports at the two ends." },
      { letter: 'C', text: 'The server must be running before a client can connect.', reason: 'True, so not the answer: with nobody listening on the port, connect() is refused (ConnectionRefusedError).' },
      { letter: 'D', text: 'The server listens with one socket and makes a new socket for each connection it accepts.', reason: 'True, so not the answer: accept() returns a new socket for that client, and the listening socket goes on listening.' },
    ],
  },
  {
    number: 4,
    page: 8,
    stem: "中 can be written '\\u4e2d' in Python: \\u gives a character by its code point. What does this give?",
    expression: "len('\\u4e2d')",
    answer: 'B',
    tryIt: ["len('\\u4e2d')"],
    choices: [
      { letter: 'A', text: 'An error', reason: 'No error: \\u followed by four hex digits is a valid escape in a str literal, and it makes one character.' },
      { letter: 'B', text: '1', code: true, reason: 'Right: a str is a sequence of code points, and 中 is one code point, U+4E2D. len() counts code points.' },
      { letter: 'C', text: '2', code: true, reason: 'No: len() of a str counts characters (code points), and there is one. Two would be counting something else, such as halves of the number.' },
      { letter: 'D', text: '3', code: true, reason: 'No: 3 is how many bytes 中 takes in UTF-8 (Question 5), but this str has not been encoded: len() counts its code points.' },
    ],
  },
  {
    number: 5,
    page: 8,
    stem: 'And this?',
    expression: "len('\\u4e2d'.encode())",
    answer: 'D',
    tryIt: ["len('\\u4e2d'.encode())", "'\\u4e2d'.encode()"],
    choices: [
      { letter: 'A', text: 'An error', reason: 'No error: encode() uses UTF-8, which can encode every code point there is.' },
      { letter: 'B', text: '1', code: true, reason: 'No: one byte has only 256 values, and U+4E2D is 20013. That 1 was len() of the str (Question 4), before encoding.' },
      { letter: 'C', text: '2', code: true, reason: 'No: UTF-8 uses two bytes only up to U+07FF. U+4E2D is higher, so it needs more.' },
      { letter: 'D', text: '3', code: true, reason: "Right: UTF-8 writes code points from U+0800 to U+FFFF in three bytes; '\\u4e2d'.encode() is b'\\xe4\\xb8\\xad'. Try the encoding explorer below." },
    ],
  },
  {
    number: 7,
    page: 15,
    stem: "A remote control sends a robot only b'FORWARD\\n', b'LEFT\\n', b'RIGHT\\n' (any order, any number of times) and last b'END\\n', then both sides close. Which could the robot get from one call of recv()?",
    answer: 'B',
    choices: [
      { letter: 'A', text: "b'ND\\nLEFT\\nLEFT\\nFORWARD\\nRIGHT\\nRIGHT'", code: true, reason: "Cannot be: it starts with ND\\n, which only the end of b'END\\n' looks like, and END is the last instruction: nothing is ever sent after it." },
      { letter: 'B', text: "b'RWARD\\nFORWARD\\nFORWARD\\nRIGHT\\nEND\\n'", code: true, reason: "Right: recv() may begin in the middle of an instruction (an earlier recv() got b'FO') and may stop anywhere. Every instruction here is one of the four, and END comes last." },
      { letter: 'C', text: "b'RIGHT\\nBACK\\nFORWARD\\nRIGHT\\nRIGHT\\nE'", code: true, reason: 'Cannot be: BACK is not one of the four instructions, so a remote control that follows the protocol never sends it. (The E alone at the end is fine: the rest of a message can come in the next recv().)' },
      { letter: 'D', text: "b'\\nLEFT\\nLEFT\\nFORWARD\\nRIGHT\\nLEFTFOR'", code: true, reason: 'Cannot be: every instruction ends with \\n, but here LEFT runs straight into FOR. (The \\n at the start is fine: it ends an instruction an earlier recv() began.)' },
    ],
  },
];

export function questionByNumber(number: number): InlineQuestion | undefined {
  return QUESTIONS.find((q) => q.number === number);
}
