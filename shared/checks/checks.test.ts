import { test } from 'vitest';
import assert from 'node:assert/strict';
import { asciiBytes } from '../bytes.ts';
import { TicTacToe } from '../tictactoe.ts';
import { describeDifference, firstDifferenceAt } from './difference.ts';
import { parseCheckReport } from './check-report.ts';
import { QUESTION_CHECKS } from './questions.ts';
import { gameSteps, Q9_GAMES } from './question-9.ts';
import { Transcript } from './transcript.ts';

test('the first difference: where, and both sides as bytes literals', () => {
  assert.equal(firstDifferenceAt(asciiBytes('WIN\n'), asciiBytes('WIN\n')), -1);
  assert.equal(describeDifference(asciiBytes('WIN\n'), asciiBytes('WIN\n')), null);
  assert.equal(
    describeDifference(asciiBytes('WIN\n'), asciiBytes('LOW\n')),
    "expected b'WIN\\n', received b'LOW\\n' (they differ from byte 0: b'WIN\\n' expected, b'LOW\\n' received)",
  );
  assert.match(describeDifference(asciiBytes('Hello from client\n'), asciiBytes('Hello from client'))!, /stop after/);
  assert.match(describeDifference(asciiBytes('GUESS\n'), new Uint8Array(0))!, /nothing was received/);
});

test('Question 9 games end where the rules say: a win, a stalemate, a quit', () => {
  for (const game of Q9_GAMES) {
    const board = new TicTacToe();
    const moves = game.moves;
    for (let i = 0; i < moves.length - 1; i++) {
      assert.notEqual(moves[i], 0);
      board.makeMove(i % 2 === 0 ? 1 : 0, moves[i]!);
      assert.equal(board.getWinner(), null, `${game.name}: no winner before the last move`);
      assert.equal(board.isFull(), false);
    }
  }
  const { stdin, steps } = gameSteps(Q9_GAMES[0]!, 'server');
  assert.deepEqual(stdin, ['5', '9']);
  assert.deepEqual(
    steps.filter((s) => s.do === 'send' || s.do === 'expect-line').map((s) => (s.do === 'send' ? `> ${s.pieces[0]}` : `< ${s.line}`)),
    ['> MOVE1\n', '< MOVE5\n', '> MOVE2\n', '< MOVE9\n', '> MOVE3\n'],
  );
  assert.deepEqual(steps.find((s) => s.do === 'expect-output'), {
    do: 'expect-output',
    text: 'Opponent wins!',
    why: 'the game is over: the server should print "Opponent wins!"',
  });
  const quit = gameSteps(Q9_GAMES[4]!, 'client');
  assert.deepEqual(quit.stdin, ['1']);
  assert.equal(quit.steps.find((s) => s.do === 'expect-output')!.do === 'expect-output' && (quit.steps.find((s) => s.do === 'expect-output') as { text: string }).text, 'Opponent quits, you win!');
});

test('Question 10 scenarios: the replies follow the secret, five tries, GAMEOVER', () => {
  const q10 = QUESTION_CHECKS[10].scenarios;
  const over = q10.find((s) => s.name === 'GAMEOVER after five misses')!;
  const lines = over.peer.filter((s) => s.do === 'expect-line').map((s) => (s.do === 'expect-line' ? s.line.trim() : ''));
  assert.deepEqual(lines, ['GUESS', 'LOW', 'GUESS', 'HIGH', 'GUESS', 'HIGH', 'GUESS', 'LOW', 'GUESS', 'LOW', 'GAMEOVER']);
  const split = q10.find((s) => s.name === 'a guess sent in two pieces')!;
  assert.deepEqual(split.peer.find((s) => s.do === 'send'), { do: 'send', pieces: ['4', '2\n'] });
  for (const s of q10) assert.ok(s.secret! >= 1 && s.secret! <= 100);
});

test('every question names its files and its scenarios are unique and short', () => {
  for (const checks of Object.values(QUESTION_CHECKS)) {
    const names = checks.scenarios.map((s) => s.name);
    assert.equal(new Set(names).size, names.length);
    for (const s of checks.scenarios) {
      assert.ok(checks.files.some((f) => f.name === s.file), s.file);
      assert.ok(s.name.length <= 100);
    }
    const report = parseCheckReport({ device: 'k', question: checks.question, passed: true, scenarios: names.map((name) => ({ name, passed: true })) });
    assert.ok(!('error' in report));
  }
});

test('a transcript keeps printed text together and times each entry', () => {
  let now = 1000;
  const t = new Transcript(() => now);
  t.peerSent(asciiBytes('GUESS\n'));
  now = 1500;
  t.programPrinted('Hello ');
  t.programPrinted('there\n');
  t.typed('42');
  assert.deepEqual(t.entries.map((e) => [e.atMs, e.who, e.text]), [
    [0, 'peer', "sent b'GUESS\\n'"],
    [500, 'program', 'printed: Hello there\n'],
    [500, 'program', 'typed: 42'],
  ]);
  assert.match(t.toText(), /0\.50 s {2}program printed: Hello there\n/);
});

test('Question 11: each line a client gets is the next typed line, in the order the scenario asks for them', () => {
  const q11 = QUESTION_CHECKS[11];
  assert.deepEqual(q11.files.map((f) => [f.name, f.copyOf]), [['chat_many_server.py', 'chat_server.py']]);
  for (const s of q11.scenarios) {
    assert.equal(s.port, 6789, s.name);
    assert.equal(s.typedOnly, true, `${s.name}: its prompts are never taken for an address`);
    const received = s.peer.filter((p) => p.do === 'expect-line').map((p) => (p.do === 'expect-line' ? p.line : ''));
    assert.deepEqual(received, s.stdin.map((line) => `${line}\n`), s.name);
    // Every step on a connection names its client, and each client connects before it acts.
    const connected = new Set<string>();
    for (const p of s.peer) {
      if (p.do === 'expect-output') continue;
      assert.ok(p.client, `${s.name}: ${p.do} names its client`);
      if (p.do === 'connect') connected.add(p.client!);
      else assert.ok(connected.has(p.client!), `${s.name}: ${p.client} ${p.do} before connecting`);
    }
  }
  const second = q11.scenarios.find((s) => s.name === 'a second client while the first is silent')!;
  assert.deepEqual(
    second.peer.filter((p) => p.do === 'connect' || p.do === 'send').map((p) => `${p.client} ${p.do}`),
    ['A connect', 'B connect', 'B send', 'A send'],
    'B connects and writes while A says nothing',
  );
});

test('a transcript names the client when the peer plays several', () => {
  const t = new Transcript(() => 0);
  t.peerSent(asciiBytes('hi\n'), 'B');
  t.peerReceived(new Uint8Array(0), 'A');
  t.peerSent(asciiBytes('x'));
  assert.deepEqual(t.entries.map((e) => e.text), ["client B sent b'hi\\n'", "client A received b'' (end of stream)", "sent b'x'"]);
});

test('a report may name Question 11 (ours); 7 and 12 are refused', () => {
  const body = (question: number) => ({ device: 'k', question, passed: true, scenarios: [{ name: 'a', passed: true }] });
  assert.equal((parseCheckReport(body(11)) as { question: number }).question, 11);
  for (const question of [7, 12]) assert.match((parseCheckReport(body(question)) as { error: string }).error, /^question: one of 6, 8, 9, 10, 11$/);
});
