/**
 * `npm run mongo:spec -- <specifications checkout> [--filter <substr>] [--suites crud,transactions,...]
 * [--verbose]`: runs the unified-format CRUD and transactions tests of a local checkout of
 * mongodb/specifications against a local database server of its own (as a single-member replica set),
 * or against MONGODB_URI when given. Prints pass/fail/skip per file, each failure and skip reason, the
 * expected failures with the reason each is accepted, and totals. Exits 1 on an unexpected failure, 2
 * when it could not run. Not part of `npm test`: the test files cannot be in this repository.
 */
import { MongoClient } from 'mongodb';
import { spawnLocalMongo, type MongoProcess } from '../lib/local-mongo-process';
import { expectedFailure, EXPECTED_FAILURES } from './expected-failures';
import { DEFAULT_SUITES, findSpecFiles, loadSpecFile } from './loader';
import { serverFacts } from './requirements';
import { killAllSessions, runFile, type FileResult } from './runner';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

interface Totals {
  pass: number;
  fail: number;
  expected: number;
  skip: number;
}

async function main(): Promise<number> {
  const checkout = process.argv
    .slice(2)
    .find((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
  if (!checkout) {
    process.stderr.write(
      'usage: npm run mongo:spec -- <specifications checkout> [--filter <substr>] [--suites a,b]\n',
    );
    return 2;
  }
  const suites = argValue('suites')?.split(',') ?? DEFAULT_SUITES;
  const verbose = process.argv.includes('--verbose');
  const files = findSpecFiles(checkout, suites, argValue('filter'));
  let mongo: MongoProcess | undefined;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    mongo = await spawnLocalMongo();
    uri = mongo.uri;
  }
  const internal = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    await internal.connect();
    const facts = await serverFacts(internal);
    out(
      `server ${facts.version}, topology ${facts.topology}, ${mongo ? 'local stand-in' : 'MONGODB_URI'}; ${files.length} file(s)`,
    );
    await killAllSessions(internal);
    const perSuite = new Map<string, Totals>();
    const unexpected: string[] = [];
    const expected = new Map<string, string[]>();
    const fixed: string[] = [];
    const skipReasons = new Map<string, number>();
    for (const f of files) {
      let result: FileResult;
      try {
        result = await runFile(f.name, loadSpecFile(f), { internal, uri, facts });
      } catch (err) {
        result = {
          file: f.name,
          results: [{ description: '(file)', outcome: 'fail', reason: (err as Error).message }],
        };
      }
      const t = perSuite.get(f.suite) ?? { pass: 0, fail: 0, expected: 0, skip: 0 };
      perSuite.set(f.suite, t);
      const lines: string[] = [];
      const counts = { pass: 0, fail: 0, expected: 0, skip: 0 };
      for (const r of result.results) {
        const accepted = expectedFailure(f.name, r.description);
        if (r.outcome === 'pass') {
          counts.pass++;
          if (accepted) fixed.push(`${f.name}: "${r.description}"`);
        } else if (r.outcome === 'skip') {
          counts.skip++;
          const why = r.reason ?? '(no reason)';
          skipReasons.set(why, (skipReasons.get(why) ?? 0) + 1);
          if (verbose || !result.fileReason) lines.push(`    skip  ${r.description}: ${r.reason}`);
        } else if (accepted && r.reason?.includes(accepted.failsWith)) {
          counts.expected++;
          expected.set(accepted.because, [
            ...(expected.get(accepted.because) ?? []),
            `${f.name}: "${r.description}"`,
          ]);
          lines.push(`    xfail ${r.description}: ${r.reason}`);
        } else {
          counts.fail++;
          const note = accepted ? ` (listed as expected, but it fails otherwise)` : '';
          unexpected.push(`${f.name}: "${r.description}": ${r.reason}${note}`);
          lines.push(`    FAIL  ${r.description}: ${r.reason}`);
        }
      }
      for (const k of Object.keys(counts) as (keyof Totals)[]) t[k] += counts[k];
      const skipNote = result.fileReason ? `; file skipped: ${result.fileReason}` : '';
      out(
        `${f.name}: ${counts.pass} pass, ${counts.fail} fail, ${counts.expected} expected, ${counts.skip} skip${skipNote}`,
      );
      for (const l of lines) out(l);
    }
    out();
    out('expected failures (accepted):');
    for (const [because, tests] of expected) {
      out(`  ${because}`);
      for (const t of tests) out(`    ${t}`);
    }
    if (expected.size === 0) out('  none');
    if (fixed.length) {
      out('listed as expected failures but passed (remove from expected-failures.ts):');
      for (const e of fixed) out(`  ${e}`);
    }
    out();
    out('skips by reason:');
    for (const [why, n] of [...skipReasons].sort((a, b) => b[1] - a[1])) out(`  ${n} ${why}`);
    const listed = Object.values(EXPECTED_FAILURES).reduce((n, tests) => n + Object.keys(tests).length, 0);
    out();
    out('totals:');
    const all: Totals = { pass: 0, fail: 0, expected: 0, skip: 0 };
    for (const [suite, t] of perSuite) {
      out(
        `  ${suite}: ${t.pass} pass, ${t.fail} fail, ${t.expected} expected, ${t.skip} skip (ran ${t.pass + t.fail + t.expected})`,
      );
      for (const k of Object.keys(all) as (keyof Totals)[]) all[k] += t[k];
    }
    out(
      `  all: ${all.pass} pass, ${all.fail} fail, ${all.expected} expected, ${all.skip} skip (ran ${all.pass + all.fail + all.expected}; ${listed} listed as expected)`,
    );
    if (unexpected.length) {
      out();
      out(`unexpected failures (${unexpected.length}):`);
      for (const u of unexpected) out(`  ${u}`);
    }
    return unexpected.length ? 1 : 0;
  } finally {
    await internal.close();
    await mongo?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`mongo:spec could not run: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  },
);
