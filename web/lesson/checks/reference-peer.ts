// Our reference peer: plays the other side of a scenario step by step over the lab's real
// TCP, through the same socket API the built-in programs use (a ProgramProcess of the
// check's own session). Each step waits at most stepTimeoutMs; the first step that does not
// get what it expects throws CheckFailure with the difference and the reason. A peer may be
// several clients at once (Question 11): each step's `client` names its connection.

import { PyException } from '../../../shared/py-exception.ts';
import type { PeerStep, Scenario } from '../../../shared/checks/scenario.ts';
import { describeDifference } from '../../../shared/checks/difference.ts';
import { clientPrefix, lastLines, type Transcript } from '../../../shared/checks/transcript.ts';
import { pyBytesRepr } from '../../../shared/py-repr.ts';
import { utf8Encode } from '../../../shared/utf8.ts';
import type { ProgramProcess } from '../../common/programs/program-process.ts';
import type { PySocket } from '../../common/net/py-socket.ts';
import { CheckFailure } from '../../common/lesson/checks/check-failure.ts';
import { LineReader } from '../../common/lesson/checks/line-reader.ts';
import type { StudentRun } from './student-run.ts';

export interface PeerTimes {
  /** How long each step waits for the student's program. */
  stepTimeoutMs: number;
  /** How long a "quiet" step watches. */
  quietMs: number;
  /** Between the pieces of a split send (unless the program answers first). */
  piecePauseMs: number;
  /** Between tries to connect while the student's server is not listening yet. */
  connectRetryMs: number;
}

/** One connection of the peer and its reader. */
interface PeerConnection {
  socket: PySocket;
  reader: LineReader;
}

export class ReferencePeer {
  private listener: PySocket | null = null;
  /** By the steps' `client` ('' for a step without one). */
  private readonly conns = new Map<string, PeerConnection>();
  /** The connection the step being run uses. */
  private current = '';

  constructor(
    private readonly process: ProgramProcess,
    private readonly scenario: Scenario,
    private readonly student: StudentRun,
    private readonly transcript: Transcript,
    private readonly times: PeerTimes,
  ) {}

  /** A server peer listens before the student's client starts. */
  async prepare(): Promise<void> {
    if (!this.scenario.peer.some((s) => s.do === 'accept')) return;
    const port = this.scenario.port;
    this.listener = await this.process.socket();
    try {
      await this.listener.bind(['0.0.0.0', port]);
      await this.listener.listen();
    } catch (err) {
      throw new CheckFailure(
        `the check could not listen on port ${port} of this device (${err instanceof Error ? err.message : String(err)}): ` +
          'another program uses it (netstat -no shows which); stop it and Check again',
      );
    }
    this.transcript.add('peer', `listening on 127.0.0.1:${port}`);
  }

  async play(): Promise<void> {
    for (const step of this.scenario.peer) await this.run(step);
  }

  async close(): Promise<void> {
    for (const conn of this.conns.values()) await conn.socket.close().catch(() => undefined);
    this.conns.clear();
    await this.listener?.close().catch(() => undefined);
  }

  /** The step's connection. */
  private get conn(): PySocket | null {
    return this.conns.get(this.current)?.socket ?? null;
  }

  private get reader(): LineReader | null {
    return this.conns.get(this.current)?.reader ?? null;
  }

  /** "client B " when the peer plays several clients, else ''. */
  private get who(): string {
    return clientPrefix(this.current);
  }

  /**
   * Waits until ready() gives a value: on the reader's or the student's changes (and on what
   * `watch` reports, for events of the peer's own), within the step's time.
   */
  private waitFor<T>(
    ready: () => T | null,
    timeoutMessage: () => string,
    ms = this.times.stepTimeoutMs,
    watch?: (changed: () => void) => () => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const stops: (() => void)[] = [];
      const finish = (fn: () => void) => {
        for (const stop of stops.splice(0)) stop();
        fn();
      };
      const check = () => {
        if (this.student.problem) return finish(() => reject(this.student.problem));
        let value: T | null;
        try {
          value = ready();
        } catch (err) {
          return finish(() => reject(err));
        }
        if (value !== null) finish(() => resolve(value));
      };
      const timer = setTimeout(() => finish(() => reject(new CheckFailure(timeoutMessage()))), ms);
      stops.push(() => clearTimeout(timer));
      stops.push(this.student.onChange(check));
      for (const conn of this.conns.values()) stops.push(conn.reader.onChange(check));
      if (watch) stops.push(watch(check));
      check();
    });
  }

  private noAnswer(what: string): string {
    return `no answer within ${Math.round(this.times.stepTimeoutMs / 1000)} s: ${what}${this.student.describeEnd()}`;
  }

  private async run(step: PeerStep): Promise<void> {
    this.current = step.client ?? '';
    switch (step.do) {
      case 'connect':
        return this.connect();
      case 'accept':
        return this.accept();
      case 'send':
        return this.send(step.pieces);
      case 'expect-line':
        return this.expectLine(step.line, step.why);
      case 'expect-eof':
        return this.expectEof(step.why);
      case 'quiet':
        return this.quiet(step.why);
      case 'expect-output':
        return this.expectOutput(step.text, step.why);
      case 'expect-end':
        return this.expectEnd(step.socketsClosed, step.why);
      case 'close':
        await this.conn?.close();
        this.conns.delete(this.current);
        this.transcript.add('peer', `${this.who}closed the connection`);
        return;
    }
  }

  private attach(socket: PySocket): void {
    const client = this.current;
    this.conns.set(client, { socket, reader: new LineReader(socket, (data) => this.transcript.peerReceived(data, client)) });
  }

  private async connect(): Promise<void> {
    const port = this.scenario.port;
    const until = Date.now() + this.times.stepTimeoutMs;
    for (;;) {
      const sock = await this.process.socket();
      try {
        await sock.connect(['127.0.0.1', port]);
        this.transcript.add('peer', `${this.who}connected to 127.0.0.1:${port}`);
        return this.attach(sock);
      } catch (err) {
        await sock.close().catch(() => undefined);
        if (!(err instanceof PyException) || err.pyType !== 'ConnectionRefusedError') throw err;
      }
      if (this.student.problem) throw this.student.problem;
      if (this.student.endedWith) throw new CheckFailure(`the server should listen on 127.0.0.1 port ${port}, but it ended first${this.student.describeEnd()}`);
      if (Date.now() > until) throw new CheckFailure(this.noAnswer(`nothing listens on 127.0.0.1 port ${port}; the server should listen there`));
      await this.process.wait(new Promise((resolve) => setTimeout(resolve, this.times.connectRetryMs)));
    }
  }

  private async accept(): Promise<void> {
    const listener = this.listener!;
    let accepted: [PySocket, unknown] | null = null;
    // A connection that comes while the student's program is silent (a client waiting in recv)
    // must end the wait too. Not awaited when the step fails: peer.close() closes the
    // listener, which ends this accept.
    let acceptedNow: (() => void) | null = null;
    void listener.accept().then(
      (a) => {
        accepted = a;
        acceptedNow?.();
      },
      () => undefined,
    );
    await this.waitFor(
      () => {
        if (accepted) return true;
        if (this.student.endedWith) throw new CheckFailure(`the client should connect to 127.0.0.1 port ${this.scenario.port}, but it ended first${this.student.describeEnd()}`);
        return null;
      },
      () => this.noAnswer(`no connection came; the client should connect to 127.0.0.1 port ${this.scenario.port}`),
      this.times.stepTimeoutMs,
      (changed) => {
        acceptedNow = changed;
        return () => (acceptedNow = null);
      },
    );
    this.transcript.add('peer', 'accepted a connection');
    this.attach(accepted![0]);
  }

  private async send(pieces: string[]): Promise<void> {
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0) {
        // Until the program answers the first piece, or a pause: a server that treats one recv as
        // one line has read the first piece alone by then.
        await this.waitFor(() => (this.reader!.buffer.length > 0 || this.reader!.eof ? true : null), () => '', this.times.piecePauseMs).catch(
          (err) => {
            if (err instanceof CheckFailure && err.message === '') return;
            throw err;
          },
        );
      }
      const data = utf8Encode(pieces[i]!);
      try {
        await this.conn!.sendall(data);
      } catch (err) {
        throw new CheckFailure(`the connection broke while the check sent ${pyBytesRepr(data)} (${err instanceof Error ? err.message : String(err)})${this.student.describeEnd()}`);
      }
      this.transcript.peerSent(data, this.current);
    }
  }

  private async expectLine(line: string, why: string): Promise<void> {
    const expected = utf8Encode(line);
    const got = await this.waitFor(() => this.reader!.takeLine(), () => this.noAnswer(`expected ${pyBytesRepr(expected)}: ${why}`));
    const difference = describeDifference(expected, got);
    if (difference === null) return;
    const closed = got.length === 0 ? ' the connection was closed (end of stream);' : '';
    throw new CheckFailure(`${why}:${closed} ${difference}${this.student.describeEnd()}`);
  }

  private async expectEof(why: string): Promise<void> {
    await this.waitFor(
      () => {
        if (this.reader!.buffer.length > 0) throw new CheckFailure(`${why}: expected the end of stream, received ${pyBytesRepr(this.reader!.buffer)}`);
        return this.reader!.eof ? true : null;
      },
      () => this.noAnswer(`${why} (the connection is still open)`),
    );
  }

  private async quiet(why: string): Promise<void> {
    await this.waitFor(
      () => {
        if (this.reader!.buffer.length > 0) throw new CheckFailure(`${why}; it sent ${pyBytesRepr(this.reader!.buffer)} first`);
        if (this.student.linesTyped > 0) throw new CheckFailure(`${why}; it asked for its own move first`);
        return null;
      },
      () => '',
      this.times.quietMs,
    ).catch((err) => {
      if (err instanceof CheckFailure && err.message === '') return;
      throw err;
    });
  }

  private async expectOutput(text: string, why: string): Promise<void> {
    await this.waitFor(
      () => (this.student.output.includes(text) ? true : null),
      () => {
        const tail = lastLines(this.student.output, 3);
        return `${why}; it has not printed ${JSON.stringify(text)} within ${Math.round(this.times.stepTimeoutMs / 1000)} s${tail ? ` (its last output: ${tail})` : ' (it printed nothing)'}`;
      },
    );
  }

  private async expectEnd(socketsClosed: boolean, why: string): Promise<void> {
    const end = await this.waitFor(() => this.student.endedWith, () => this.noAnswer(`${why}, but it is still running`));
    if (end.status !== 0) throw new CheckFailure(`${why}: it ended with an error${this.student.describeEnd()}`);
    if (socketsClosed && end.leftOpen.length > 0) {
      const open = end.leftOpen.map((r) => `${r.local} ${r.state}`).join(', ');
      throw new CheckFailure(`${why}: it ended with sockets still open (${open}); close each one before the program ends`);
    }
  }
}
