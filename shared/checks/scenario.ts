// What a Check plays: scenarios as data. Each runs one of the student's files in browser
// Python and a reference peer (ours, scripted) over the lab's real TCP. The peer's steps say
// what it sends and what it must receive; the student's typed lines are scripted too. Pure:
// the page's runner (web/lesson/checks/) carries the steps out.

/** The worksheet's Questions 6, 8, 9 and 10, and Question 11, ours (not in the worksheet). */
export type CheckQuestion = 6 | 8 | 9 | 10 | 11;
export const CHECK_QUESTIONS: readonly CheckQuestion[] = [6, 8, 9, 10, 11];

/**
 * One step of the peer. A peer that plays several clients at once (Question 11) names the one
 * acting in `client` on its connect, send, expect-line, expect-eof and close steps; without
 * it, a step uses the peer's only connection.
 */
export type PeerStep = PeerAction & { client?: string };

type PeerAction =
  /** The peer (a client) connects to 127.0.0.1:port, trying again until the student's server listens. */
  | { do: 'connect' }
  /** The peer (a server, listening before the student's program starts) accepts one connection. */
  | { do: 'accept' }
  /** Sends text; several pieces go as separate sendall calls with a pause between them. */
  | { do: 'send'; pieces: string[] }
  /** Receives one line (up to and with b'\n', or what came before the end of stream) and compares it. */
  | { do: 'expect-line'; line: string; why: string }
  /** The student's side must close the connection: recv returns b''. */
  | { do: 'expect-eof'; why: string }
  /** For a while the student's program must neither send nor ask for a typed line. */
  | { do: 'quiet'; why: string }
  /** The student's output, so far, must contain this text. */
  | { do: 'expect-output'; text: string; why: string }
  /** The student's program must end by itself; with socketsClosed, having closed every socket first. */
  | { do: 'expect-end'; socketsClosed: boolean; why: string }
  | { do: 'close' };

export interface Scenario {
  /** Short, shown in the results list and stored with the result. */
  name: string;
  /** The student's file that runs (the peer plays the other side). */
  file: string;
  /** The port the peer listens on or connects to (127.0.0.1 of this device). */
  port: number;
  /** Lines the student "types", in order, each when the program asks for one. Prompts that
   * ask for the server's address or port are answered by themselves (127.0.0.1, port). */
  stdin: string[];
  /** Question 10: what random's pick of the secret number is fixed to. */
  secret?: number;
  /** Every typed line comes from stdin, whatever the prompt says (a server asks for no
   * address; Question 11's prompts may name a client's address or port). */
  typedOnly?: boolean;
  /** What the program should have done instead of asking for more typed lines. */
  noMoreInput: string;
  peer: PeerStep[];
}

export interface QuestionChecks {
  question: CheckQuestion;
  /** The files the student writes: a new file starts as the header, then (copyOf) a copy of
   * one of the worksheet's programs, which the page has among its lesson files. */
  files: { name: string; header: string; copyOf?: string }[];
  scenarios: Scenario[];
}
