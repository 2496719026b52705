import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '@eid/bff/config';

/**
 * docs/operations.md lists every configuration variable (issue 21 §5). The variables are the keys of the one
 * schema in bff/src/config.ts (loadConfig reads exactly those from the environment and EID_CONFIG_FILE); each
 * must appear in operations.md as `NAME` in code type.
 */
const root = path.resolve(__dirname, '../..');
const source = readFileSync(path.join(root, 'bff/src/config.ts'), 'utf8');
const doc = readFileSync(path.join(root, 'docs/operations.md'), 'utf8');

/** The schema's top-level keys: the lines `  NAME:` between `const schema = z.object({` and its `});`. */
function schemaKeys(): string[] {
  const start = source.indexOf('const schema = z.object({');
  const end = source.indexOf('\n});', start);
  if (start < 0 || end < 0)
    throw new Error('bff/src/config.ts no longer has `const schema = z.object({ ... });`');
  return [...source.slice(start, end).matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
}

it('when the schema is read from its source, then it finds every variable loadConfig fills in by default (the reading is not blind)', () => {
  const keys = new Set(schemaKeys());
  const defaulted = Object.keys(loadConfig({})).filter((k) => /^[A-Z][A-Z0-9_]+$/.test(k));
  expect(defaulted.length).toBeGreaterThan(40);
  expect(defaulted.filter((k) => !keys.has(k))).toEqual([]);
});

it('when bff/src/config.ts reads a variable, then docs/operations.md lists it', () => {
  const missing = schemaKeys().filter((k) => !doc.includes(`\`${k}\``));
  expect(missing).toEqual([]);
});
