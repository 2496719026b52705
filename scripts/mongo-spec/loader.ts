/**
 * Finds and parses the unified-format test files of a local checkout of mongodb/specifications. The
 * files stay in that checkout: their licence (CC BY-NC-SA) keeps them out of this repository.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { BSON, type Document } from 'mongodb';

/** The suites run by default, as directories under `source/`. */
export const SUITES: Record<string, string> = {
  crud: 'crud/tests/unified',
  transactions: 'transactions/tests/unified',
  'transactions-convenient-api': 'transactions-convenient-api/tests/unified',
  sessions: 'sessions/tests',
};

export const DEFAULT_SUITES = ['crud', 'transactions', 'transactions-convenient-api'];

export interface SpecFile {
  suite: string;
  /** `<suite>/<file name>`, the key of the expected-failures list. */
  name: string;
  path: string;
}

/** The JSON test files of the chosen suites whose name contains `filter`, in a stable order. */
export function findSpecFiles(checkout: string, suites: string[], filter?: string): SpecFile[] {
  const source = path.join(checkout, 'source');
  if (!statSync(source, { throwIfNoEntry: false })?.isDirectory())
    throw new Error(`${checkout} is not a checkout of mongodb/specifications (no source/ directory)`);
  const files: SpecFile[] = [];
  for (const suite of suites) {
    const dir = SUITES[suite];
    if (!dir) throw new Error(`unknown suite ${suite} (known: ${Object.keys(SUITES).join(', ')})`);
    for (const f of readdirSync(path.join(source, dir)).sort()) {
      if (!f.endsWith('.json')) continue;
      const name = `${suite}/${f.replace(/\.json$/, '')}`;
      if (filter && !name.includes(filter)) continue;
      files.push({ suite, name, path: path.join(source, dir, f) });
    }
  }
  return files;
}

/**
 * Parses a test file as Extended JSON, keeping numeric types (an expected 1.0 stays a double), as
 * §Executing a Test File requires.
 */
export function loadSpecFile(file: SpecFile): Document {
  return BSON.EJSON.parse(readFileSync(file.path, 'utf8'), { relaxed: false }) as Document;
}
