import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The body rows of the Markdown table a docs page keeps between `<!-- name -->` and `<!-- /name -->`, as
 * cells (header and rule left out), for tests that fail when a page's measured numbers drift.
 *
 * @example docTable('formats/bright-code.md', 'v2 sizes') // [['no claims', 'holder_only', '265 / 403 / 12', …], …]
 */
export function docTable(page: string, name: string): string[][] {
  const text = readFileSync(join(__dirname, '..', '..', 'docs', page), 'utf8');
  const start = text.indexOf(`<!-- ${name} -->`);
  const end = text.indexOf(`<!-- /${name} -->`);
  if (start < 0 || end < start) throw new Error(`docs/${page} has no table ${name}`);
  return text
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('| '))
    .slice(2)
    .map((line) => line.split(' | ').map((cell) => cell.replace(/^\| | \|$/g, '')));
}
