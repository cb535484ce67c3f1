import { test } from 'vitest';
import assert from 'node:assert/strict';
import { helpText, markdownRows, markdownTable, OptionError, parseArgsOptions, readCommandLine, type CommandLine, type OptionTable } from './option-table.ts';

function parseWhole(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new OptionError(`${what}: '${text}' is not a whole number`);
  return Number(text);
}

const OPTIONS = {
  port: { kind: 'value', placeholder: 'N', env: 'PORT', default: 8080, parse: parseWhole, help: 'port to serve on' },
  name: { kind: 'value', placeholder: 'NAME', env: 'NAME', defaultText: 'the host name', parse: (text) => text, help: 'what to call it' },
  retention: { kind: 'value', placeholder: 'H', default: 12, specialValue: '0: keep all', parse: parseWhole, help: 'hours kept' },
  allow: { kind: 'list', placeholder: 'PORT', env: 'ALLOW', parse: parseWhole, help: 'a port to allow' },
  verbose: { kind: 'flag', short: 'v', env: 'VERBOSE', help: 'say more, with `code`' },
  mode: { kind: 'value', placeholder: 'a|b', default: 'a', parse: (text) => text, help: 'the mode', helpDetails: '    a  first\n    b  second' },
} satisfies OptionTable;

const CLI: CommandLine<typeof OPTIONS> = { command: 'npm run thing --', about: 'Does a thing.', options: OPTIONS };

const read = (argv: string[], env: Record<string, string | undefined> = {}) => readCommandLine(CLI, argv, env);

function throwsMessage(run: () => unknown, message: string | RegExp): void {
  assert.throws(run, (e: unknown) => e instanceof OptionError && (typeof message === 'string' ? e.message === message : message.test(e.message)), String(message));
}

test('defaults: a value option its default (or undefined without one), a flag off, a list empty', () => {
  assert.deepEqual(read([]), { values: { port: 8080, name: undefined, retention: 12, allow: [], verbose: false, mode: 'a' }, help: false });
});

test('the command line: separate and inline values, the last of a value, every one of a list, flags, short forms', () => {
  const { values } = read(['--port', '80', '--name=x=y', '--port=81', '--allow', '1', '--allow=2', '-v', '--mode', '--odd']);
  assert.deepEqual(values, { port: 81, name: 'x=y', retention: 12, allow: [1, 2], verbose: true, mode: '--odd' });
  assert.equal(read(['--name=']).values.name, '', 'an empty inline value is a value');
});

test('the environment stands in for an option not given; the command line wins; empty counts as unset', () => {
  assert.equal(read([], { PORT: '90' }).values.port, 90);
  assert.equal(read(['--port', '91'], { PORT: '90' }).values.port, 91);
  assert.equal(read([], { PORT: '' }).values.port, 8080);
  assert.equal(read([], { NAME: 'from-env' }).values.name, 'from-env');
  assert.equal(read([], { VERBOSE: '1' }).values.verbose, true);
  assert.equal(read([], { VERBOSE: 'true' }).values.verbose, true);
  assert.equal(read([], { VERBOSE: 'yes' }).values.verbose, false);
  // A list's variable is comma-separated and comes before the command line's values.
  assert.deepEqual(read(['--allow', '3'], { ALLOW: ' 1, ,2 ' }).values.allow, [1, 2, 3]);
});

test("a bad value names the option, or the variable it came from; a bad variable counts even when the command line overrides it", () => {
  throwsMessage(() => read(['--port', 'x']), "--port: 'x' is not a whole number");
  throwsMessage(() => read([], { PORT: 'x' }), "PORT: 'x' is not a whole number");
  throwsMessage(() => read(['--port', '80'], { PORT: 'x' }), "PORT: 'x' is not a whole number");
  throwsMessage(() => read(['--allow', '1', '--allow', 'x']), "--allow: 'x' is not a whole number");
  throwsMessage(() => read([], { ALLOW: '1,x' }), "ALLOW: 'x' is not a whole number");
  // The first bad one on the command line is the one reported.
  throwsMessage(() => read(['--port', 'x', '--nope']), /--port: 'x'/);
  throwsMessage(() => read(['--nope', '--port', 'x']), /unknown option '--nope'/);
});

test('an unknown option, a positional or -- is reported as typed, with where to find the options', () => {
  throwsMessage(() => read(['--nope']), "unknown option '--nope' (npm run thing -- --help lists them)");
  throwsMessage(() => read(['--nope=1']), "unknown option '--nope=1' (npm run thing -- --help lists them)");
  throwsMessage(() => read(['-x']), /^unknown option '-x'/);
  throwsMessage(() => read(['stray']), /^unknown option 'stray'/);
  throwsMessage(() => read(['--', '--port', '1']), /^unknown option '--'/);
  throwsMessage(() => read(['--constructor']), /^unknown option '--constructor'/);
});

test('a missing value, and a value given to a flag, are reported', () => {
  throwsMessage(() => read(['--port']), '--port needs a value');
  throwsMessage(() => read(['--allow', '1', '--allow']), '--allow needs a value');
  throwsMessage(() => read(['--verbose=no']), '--verbose takes no value');
});

test('--help and -h are every command\'s, and the values are still checked', () => {
  assert.equal(read(['--help']).help, true);
  assert.equal(read(['-h', '--port', '1']).help, true);
  throwsMessage(() => read(['--help', '--port', 'x']), /--port: 'x'/);
  assert.throws(() => parseArgsOptions({ help: { kind: 'flag', help: 'mine' } }), /'help' is every command's own/);
});

test('the table as parseArgs options: strings, repeatable strings, booleans, short forms, and help', () => {
  assert.deepEqual(parseArgsOptions(OPTIONS), {
    help: { type: 'boolean', short: 'h' },
    port: { type: 'string' },
    name: { type: 'string' },
    retention: { type: 'string' },
    allow: { type: 'string', multiple: true },
    verbose: { type: 'boolean', short: 'v' },
    mode: { type: 'string' },
  });
});

test('the help text: usage, about, each option in order with its variable, default and special value, wrapped', () => {
  const text = helpText(CLI);
  assert.ok(text.startsWith('Usage: npm run thing -- [options]\n\nDoes a thing.\n\n'), text);
  assert.match(text, /^ {2}--port N {12}port to serve on \(env PORT; default 8080\)$/m);
  assert.match(text, /^ {2}--name NAME {9}what to call it \(env NAME; default the host name\)$/m);
  assert.match(text, /--retention H +hours kept \(default 12; 0: keep all\)$/m);
  assert.match(text, /--allow PORT +a port to allow \(repeatable; env ALLOW, comma-separated\)$/m);
  assert.match(text, /--verbose +say more, with code \(env VERBOSE=1\)$/m, 'backquotes dropped; a flag shows no default');
  assert.match(text, /--mode a\|b +the mode \(default a\)\n {4}a {2}first\n {4}b {2}second\n/);
  assert.match(text, /\n {2}--help {14}this text\n$/);
  const order = [...text.matchAll(/^ {2}--([a-z]+)/gm)].map((m) => m[1]);
  assert.deepEqual(order, ['port', 'name', 'retention', 'allow', 'verbose', 'mode', 'help']);
  const long = helpText({ command: 'x', options: { 'a-rather-long-name': { kind: 'value', placeholder: 'VALUE', parse: (t) => t, help: 'word '.repeat(40).trim() } } });
  const lines = long.split('\n');
  assert.ok(lines.every((l) => l.length <= 92), long);
  assert.equal(lines[2], '  --a-rather-long-name VALUE', 'a usage too long for its column stands alone');
  assert.match(lines[3]!, /^ {22}word word/);
});

test("the README's rows: the option as typed, its variable, its default and its meaning", () => {
  assert.deepEqual(markdownRows(OPTIONS), [
    ['option', 'environment', 'default', 'meaning'],
    ['`--port N`', '`PORT`', '8080', 'port to serve on'],
    ['`--name NAME`', '`NAME`', 'the host name', 'what to call it'],
    ['`--retention H`', '', '12', 'hours kept; 0: keep all'],
    ['`--allow PORT`', '`ALLOW` (comma-separated)', 'none', 'a port to allow (repeatable)'],
    ['`--verbose`', '`VERBOSE=1`', 'off', 'say more, with `code`'],
    ['`--mode a\\|b`', '', 'a', 'the mode'],
  ]);
  const table = markdownTable(OPTIONS).split('\n');
  assert.equal(table[0], '| option | environment | default | meaning |');
  assert.equal(table[1], '|---|---|---|---|');
  assert.equal(table[4], '| `--retention H` | | 12 | hours kept; 0: keep all |');
});
