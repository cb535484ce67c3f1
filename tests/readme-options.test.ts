// The README's options table says what server/server-options.ts's table does: names, variables,
// defaults and meanings. Editing one without the other fails here, with the row to paste.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { markdownRows, markdownTable } from '../server/cli/option-table.ts';
import { SERVER_OPTIONS } from '../server/server-options.ts';

const README = fileURLToPath(new URL('../README.md', import.meta.url));

/** The cells of a markdown table row, split at pipes that are not escaped (`same\|any`), trimmed. */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/** The first table under the heading, as rows of cells, the header first (its `---` line left out). */
function tableUnder(markdown: string, heading: string): string[][] {
  const lines = markdown.split('\n');
  const at = lines.indexOf(heading);
  assert.ok(at >= 0, `README has a '${heading}' section`);
  const start = lines.findIndex((l, i) => i > at && l.startsWith('|'));
  assert.ok(start > at, `a table under '${heading}'`);
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'));
  return lines
    .slice(start, end < 0 ? undefined : end)
    .filter((l) => !/^\|[-| :]+\|$/.test(l.trim()))
    .map(cells);
}

test("the README's options table is the option table's: names, variables, defaults and meanings", () => {
  const readme = tableUnder(readFileSync(README, 'utf8'), '## Options');
  const expected = markdownRows(SERVER_OPTIONS);
  const hint = `\nThe table for README.md's Options section:\n${markdownTable(SERVER_OPTIONS)}`;
  assert.deepEqual(readme[0], expected[0], `the columns${hint}`);
  const byOption = new Map(readme.slice(1).map((row) => [row[0], row]));
  for (const row of expected.slice(1)) {
    const found = byOption.get(row[0]);
    assert.ok(found, `README has no row for ${row[0]}${hint}`);
    assert.deepEqual(found, row, `README's row for ${row[0]}${hint}`);
    byOption.delete(row[0]);
  }
  assert.deepEqual([...byOption.keys()], [], `README rows for options the server does not have${hint}`);
  assert.deepEqual(
    readme.slice(1).map((row) => row[0]),
    expected.slice(1).map((row) => row[0]),
    `the order of --help${hint}`,
  );
});

test('the table parser splits at pipes but not at escaped ones', () => {
  assert.deepEqual(cells('| `--real-ports same\\|any` | | same | x |'), ['`--real-ports same\\|any`', '', 'same', 'x']);
});
