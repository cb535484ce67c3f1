// One table of a command's options, tokenised by node:util's parseArgs: the same table gives
// the parsing, the environment fallback, the defaults, the --help text and the README's table,
// so none of them can drift from the others. It imports nothing but node:util, so
// scripts/soak.ts and bench/run-bench.ts use it without loading the server.

import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A bad command line or environment; the message names the option (or variable) and is for a person. */
export class OptionError extends Error {}

interface OptionCommon {
  /** What the option does, for --help and the README; `code` in backquotes (--help drops them). */
  help: string;
  /** The environment variable read as the option; empty counts as unset. The command line wins over it. */
  env?: string;
  /** A one-letter form, as `-h`. */
  short?: string;
  /** Lines printed under the option by --help only (the limits under --limit). */
  helpDetails?: string;
}

/** Off unless given; its variable turns it on when it is `1` or `true`. */
export interface FlagOption extends OptionCommon {
  kind: 'flag';
}

/** One value; given twice, the last wins. */
export interface ValueOption<T> extends OptionCommon {
  kind: 'value';
  /** The value's name in --help and the README: N, ADDR, same|any. */
  placeholder: string;
  /** The text as given to the value; throws an OptionError whose message names `what` (the option or the variable). */
  parse(text: string, what: string): T;
  /** Absent: the value is undefined when not given, and the program chooses (defaultText says how). */
  default?: T;
  /** The default as a person reads it, where String(default) is not that. */
  defaultText?: string;
  /** A value with a meaning of its own, said beside the default: `0: never`. */
  specialValue?: string;
}

/** Repeatable: every value is kept, in order; its variable holds them comma-separated, before the command line's. */
export interface ListOption<T> extends OptionCommon {
  kind: 'list';
  placeholder: string;
  parse(text: string, what: string): T;
  /** What none given means, for a person; `none` unless said. */
  defaultText?: string;
}

// `any`: each option's own value type is kept by the table's literal type (declare it with `satisfies OptionTable`).
export type OptionSpec = FlagOption | ValueOption<any> | ListOption<any>;

/** Option name (as typed after `--`) to its spec; the order is the order of --help and the README. */
export type OptionTable = Record<string, OptionSpec>;

export interface CommandLine<Table extends OptionTable> {
  /** How the command is run, before its options: `npm start --`. */
  command: string;
  /** Printed by --help under the usage line. */
  about?: string;
  options: Table;
}

/** The type an option's parse gives (its default is not trusted to say it: a literal widens). */
type Parsed<O> = O extends { parse(text: string, what: string): infer T } ? T : never;

type OptionValue<O> = O extends FlagOption
  ? boolean
  : O extends ListOption<unknown>
    ? Parsed<O>[]
    : O extends { default: unknown }
      ? Parsed<O>
      : Parsed<O> | undefined;

export type OptionValues<Table extends OptionTable> = { -readonly [K in keyof Table]: OptionValue<Table[K]> };

export interface ParsedCommandLine<Table extends OptionTable> {
  values: OptionValues<Table>;
  /** --help or -h was given: print helpText and stop. */
  help: boolean;
}

/** Every command takes --help; a table may not name its own. */
const HELP = 'help';

/** The table as parseArgs options (with --help, -h). */
export function parseArgsOptions(table: OptionTable): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = { [HELP]: { type: 'boolean', short: 'h' } };
  for (const [name, spec] of Object.entries(table)) {
    if (name === HELP) throw new Error(`option table: '${HELP}' is every command's own`);
    options[name] = { type: spec.kind === 'flag' ? 'boolean' : 'string', ...(spec.kind === 'list' ? { multiple: true } : {}), ...(spec.short ? { short: spec.short } : {}) };
  }
  return options;
}

/**
 * The values the defaults, then the environment, then the command line give. Every value is
 * checked, the environment's too (even when the command line overrides it: a typo anywhere
 * stops the program), then the command line's in its order, so the first bad one is the one
 * reported.
 */
export function readCommandLine<Table extends OptionTable>(
  cli: CommandLine<Table>,
  argv: readonly string[],
  env: Record<string, string | undefined>,
): ParsedCommandLine<Table> {
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(cli.options)) {
    values[name] = spec.kind === 'flag' ? false : spec.kind === 'list' ? [] : spec.default;
    const variable = spec.env;
    const text = variable ? env[variable] : undefined;
    if (!variable || !text) continue;
    if (spec.kind === 'flag') values[name] = text === '1' || text === 'true';
    else if (spec.kind === 'value') values[name] = spec.parse(text, variable);
    else values[name] = text.split(',').filter((s) => s.trim() !== '').map((s) => spec.parse(s.trim(), variable));
  }
  // Not strict: this loop reports unknown options and missing values itself, naming them as typed.
  const { tokens } = parseArgs({ args: [...argv], options: parseArgsOptions(cli.options), strict: false, allowPositionals: true, tokens: true });
  let help = false;
  for (const token of tokens) {
    if (token.kind !== 'option' || (token.name !== HELP && !Object.hasOwn(cli.options, token.name))) {
      throw new OptionError(`unknown option '${argv[token.index]}' (${cli.command} --help lists them)`);
    }
    const spec = token.name === HELP ? undefined : cli.options[token.name]!;
    if (!spec || spec.kind === 'flag') {
      // --help is a flag too.
      if (token.value !== undefined) throw new OptionError(`${token.rawName} takes no value`);
      if (spec) values[token.name] = true;
      else help = true;
      continue;
    }
    if (token.value === undefined) throw new OptionError(`${token.rawName} needs a value`);
    const value: unknown = spec.parse(token.value, `--${token.name}`);
    if (spec.kind === 'value') values[token.name] = value;
    else (values[token.name] as unknown[]).push(value);
  }
  return { values: values as OptionValues<Table>, help };
}

/** The column --help's explanations start at. */
const HELP_COLUMN = 22;
/** --help's lines are wrapped at this many characters. */
const HELP_WIDTH = 92;

function defaultText(spec: OptionSpec): string {
  if (spec.kind === 'flag') return 'off';
  if (spec.kind === 'list') return spec.defaultText ?? 'none';
  return spec.defaultText ?? (spec.default === undefined ? '' : String(spec.default));
}

function usageOf(name: string, spec: OptionSpec): string {
  return spec.kind === 'flag' ? `--${name}` : `--${name} ${spec.placeholder}`;
}

/** The text in lines of at most `width - column` characters (a longer word has a line of its own). */
function wrap(text: string, column: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && column + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return [...lines, line];
}

/** What --help prints: the usage, then one entry per option with its variable and default. */
export function helpText(cli: CommandLine<OptionTable>): string {
  const entries = Object.entries(cli.options).map(([name, spec]) => {
    const notes: string[] = [];
    if (spec.kind === 'list') notes.push('repeatable');
    if (spec.env) notes.push(spec.kind === 'flag' ? `env ${spec.env}=1` : spec.kind === 'list' ? `env ${spec.env}, comma-separated` : `env ${spec.env}`);
    const shownDefault = spec.kind === 'flag' || (spec.kind === 'list' && !spec.defaultText) ? '' : defaultText(spec);
    if (shownDefault) notes.push(`default ${shownDefault}`);
    if (spec.kind === 'value' && spec.specialValue) notes.push(spec.specialValue);
    const text = spec.help.replaceAll('`', '') + (notes.length > 0 ? ` (${notes.join('; ')})` : '');
    return entry(usageOf(name, spec), text) + (spec.helpDetails ? `${spec.helpDetails}\n` : '');
  });
  const about = cli.about ? `\n${cli.about}\n` : '';
  return `Usage: ${cli.command} [options]\n${about}\n${entries.join('')}${entry('--help', 'this text')}`;
}

function entry(usage: string, text: string): string {
  const left = `  ${usage}`;
  const indent = ' '.repeat(HELP_COLUMN);
  // A usage too long for its column has its explanation start on the next line.
  const fits = left.length < HELP_COLUMN;
  const lines = wrap(text, HELP_COLUMN, HELP_WIDTH);
  return `${fits ? left.padEnd(HELP_COLUMN) : `${left}\n${indent}`}${lines.join(`\n${indent}`)}\n`;
}

function markdownCell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** The README's table, as rows of cells (the header first): option, environment, default, meaning. */
export function markdownRows(table: OptionTable): string[][] {
  const rows = Object.entries(table).map(([name, spec]) => {
    const env = !spec.env ? '' : spec.kind === 'flag' ? `\`${spec.env}=1\`` : spec.kind === 'list' ? `\`${spec.env}\` (comma-separated)` : `\`${spec.env}\``;
    const special = spec.kind === 'value' && spec.specialValue ? `; ${spec.specialValue}` : '';
    const repeatable = spec.kind === 'list' ? ' (repeatable)' : '';
    return [`\`${usageOf(name, spec)}\``, env, defaultText(spec), `${spec.help}${special}${repeatable}`].map(markdownCell);
  });
  return [['option', 'environment', 'default', 'meaning'], ...rows];
}

/** The README's table as markdown, to paste when the table changes. */
export function markdownTable(table: OptionTable): string {
  const [header, ...rows] = markdownRows(table);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`.replaceAll('|  |', '| |');
  return [line(header!), `|${header!.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n') + '\n';
}
