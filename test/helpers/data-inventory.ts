import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One collection's table in docs/data-inventory.md. */
export interface InventorySection {
  collection: string;
  /** Field path -> its cells: what, class, at rest, who reads, kept. */
  fields: Map<string, string[]>;
}

export const INVENTORY_PATH = join(__dirname, '..', '..', 'docs', 'data-inventory.md');

/** Parses the inventory: each `### \`name\`` heading and the field rows of the table under it. */
export function readInventory(text = readFileSync(INVENTORY_PATH, 'utf8')): Map<string, InventorySection> {
  const sections = new Map<string, InventorySection>();
  let current: InventorySection | undefined;
  for (const line of text.split('\n')) {
    const heading = /^### `([^`]+)`\s*$/.exec(line);
    if (heading) {
      current = { collection: heading[1]!, fields: new Map() };
      if (sections.has(current.collection)) throw new Error(`collection ${current.collection} listed twice`);
      sections.set(current.collection, current);
      continue;
    }
    if (/^#{1,3} /.test(line)) current = undefined;
    const row = /^\|\s*`([^`]+)`\s*\|(.*)\|\s*$/.exec(line);
    if (!row || !current) continue;
    const cells = row[2]!.split('|').map((c) => c.trim());
    if (current.fields.has(row[1]!)) throw new Error(`${current.collection}.${row[1]} listed twice`);
    current.fields.set(row[1]!, cells);
  }
  return sections;
}
