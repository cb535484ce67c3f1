// Shell.notice: a line that comes by itself goes above the prompt, and the typing so far is
// shown again after a fresh prompt; while a program runs it is a line of the output.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import type { Welcome } from '../../../shared/bridge-protocol.ts';
import { LineDiscipline } from './line-discipline.ts';
import { Shell, type ProgramLauncher, type ShellSession } from './shell.ts';
import { Transcript } from './transcript.ts';

const welcome: Welcome = { t: 'welcome', v: 1, lab: 'ABC234', device: { id: 1, address: '10.1.0.2' }, pid: 1000, console: 1, revealAnswers: false };

function shellOnScreen(launcher: Partial<ProgramLauncher> = {}) {
  const transcript = new Transcript();
  const terminal = new LineDiscipline((text) => transcript.append(text));
  const session: ShellSession = {
    welcome,
    revealAnswers: false,
    call: () => Promise.reject(new Error('no server here')),
    onKill: () => () => undefined,
  };
  const shell = new Shell({
    session,
    terminal,
    launcher: { find: async () => null, list: async () => [], start: () => Promise.reject(new Error('none')), ...launcher },
    clear: () => undefined,
  });
  void shell.start();
  return { shell, terminal, text: () => transcript.text() };
}

test('at the prompt: above a fresh prompt, with what was typed so far', () => {
  const { shell, terminal, text } = shellOnScreen();
  terminal.input('ipcon');
  shell.notice('lab server: too many sockets');
  assert.equal(text(), '10.1.0.2$ ipcon\nlab server: too many sockets\n10.1.0.2$ ipcon');
  shell.notice('lab server: again');
  assert.equal(text(), '10.1.0.2$ ipcon\nlab server: too many sockets\n10.1.0.2$ ipcon\nlab server: again\n10.1.0.2$ ipcon');
});

test('a stopped shell prints nothing more', () => {
  const { shell, text } = shellOnScreen();
  shell.stop();
  shell.notice('lab server: late');
  assert.equal(text(), '10.1.0.2$ ');
});
