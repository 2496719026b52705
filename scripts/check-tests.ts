/**
 * CI must run every test: fails when any suite is focused, skipped or left as a todo.
 * Runs before jest in `npm test`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const FORBIDDEN =
  /\b(?:(?:it|test|describe)\s*\.\s*(?:only|skip|todo|failing)|x(?:it|test|describe)|f(?:it|describe))\s*\(/;

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) yield* walk(full);
    else if (/\.test\.tsx?$/.test(entry)) yield full;
  }
}

const offenders: string[] = [];
let suites = 0;
for (const file of walk(path.join(ROOT, 'test'))) {
  suites += 1;
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (FORBIDDEN.test(line)) offenders.push(`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
    });
}
if (offenders.length > 0) {
  console.error(`Focused, skipped or todo tests are not allowed in CI:\n${offenders.join('\n')}`);
  process.exit(1);
}
if (suites === 0) {
  console.error('No test suites found under test/');
  process.exit(1);
}
console.log(`check-tests: ${suites} suites, none focused or skipped`);
