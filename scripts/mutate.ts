/**
 * `npm run mutate`: a hand-written mutation check, not part of `npm test` (docs/testing.md).
 *
 * Each mutant breaks one promise the docs make (a skipped signature check, a widened time window, a
 * disclosure of every field, ...) by replacing one exact snippet of one source file. For each, the
 * suites that guard that promise run against the broken code; they must fail ("killed"). A mutant they
 * pass ("survived") is a gap in the tests.
 *
 * The mutants are applied in a scratch copy of the work tree (the files git would see, with
 * node_modules linked in), never in the tree itself: other people edit and test the tree meanwhile,
 * and a crash or Ctrl-C can leave nothing behind there. Inside the copy each mutant is still undone
 * byte for byte, in a finally, before the next one is applied.
 *
 *   npm run mutate                       every mutant, after a clean run of their suites
 *   npm run mutate -- --list             the mutants, and whether each is stale (snippet or tests moved)
 *   npm run mutate -- --only=a,b         some mutants (ids from --list)
 *   npm run mutate -- --no-baseline      skip the clean run (a suite failing already then counts as a kill)
 *   npm run mutate -- --keep             keep the scratch copy and the jest logs for reading
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MUTANTS, type Mutant } from './mutants';

const ROOT = path.resolve(__dirname, '..');
// A mutant that hangs a suite counts as killed once this passes (jest's own per-test timeout is 30 s).
const MUTANT_TIMEOUT_MS = 5 * 60_000;

type Outcome = 'killed' | 'survived' | 'stale' | 'error' | 'baseline_failed';
interface Result {
  mutant: Mutant;
  outcome: Outcome;
  seconds: number;
  /** Failing test names (killed), or why it could not run. */
  note: string;
}

function occurrences(text: string, snippet: string): number {
  let n = 0;
  for (let at = text.indexOf(snippet); at >= 0; at = text.indexOf(snippet, at + 1)) n += 1;
  return n;
}

/** Test files under test/, relative to `root`, as jest's path patterns see them. */
function testFiles(root: string, dir = 'test'): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(root, rel);
    return /\.test\.tsx?$/.test(entry.name) ? [rel] : [];
  });
}

/**
 * Why a mutant cannot run as written, or undefined: its snippet is not in its file exactly once, or one
 * of its test patterns names no test file (after a test moved, the mutant would run fewer suites, or none).
 */
function staleReason(root: string, m: Mutant, tests: string[]): string | undefined {
  const file = path.join(root, m.file);
  if (!existsSync(file)) return 'file no longer there';
  const found = occurrences(readFileSync(file, 'utf8'), m.find);
  if (found !== 1) return found === 0 ? 'snippet no longer in the file' : `snippet found ${found} times`;
  const unmatched = m.tests.filter((pattern) => !tests.some((t) => new RegExp(pattern).test(t)));
  if (unmatched.length > 0) return `no test file matches ${unmatched.join(', ')}`;
  return undefined;
}

/** Copies what git sees of the work tree (tracked and untracked, minus ignored) and links node_modules in. */
function makeScratchCopy(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'eid-mutate-'));
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const rel of new Set(listed.stdout.split('\0').filter(Boolean))) {
    const from = path.join(ROOT, rel);
    if (!existsSync(from)) continue; // deleted in the tree but still in the index
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    copyFileSync(from, path.join(dir, rel));
  }
  // Every installed package is linked, except the workspaces, which must resolve to the copy's sources.
  const modules = path.join(dir, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(path.join(ROOT, 'node_modules'))) {
    if (entry === '@eid') continue;
    symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(modules, entry));
  }
  mkdirSync(path.join(modules, '@eid'));
  for (const pkg of readdirSync(path.join(ROOT, 'node_modules', '@eid'))) {
    symlinkSync(path.join('..', '..', pkg), path.join(modules, '@eid', pkg));
  }
  return dir;
}

let child: ChildProcess | undefined;

/** Runs jest in the scratch copy; 'passed', 'failed' (with the failing tests) or 'error'. */
function runJest(
  dir: string,
  tests: string[],
  only: string | undefined,
  label: string,
): Promise<{ status: 'passed' | 'failed' | 'error'; note: string }> {
  const report = path.join(dir, '.mutate', `${label}.json`);
  const log = path.join(dir, '.mutate', `${label}.log`);
  mkdirSync(path.dirname(report), { recursive: true });
  const out = openSync(log, 'w');
  const args = [
    path.join(dir, 'node_modules', 'jest', 'bin', 'jest.js'),
    '--ci',
    '--silent',
    '--forceExit',
    '--json',
    `--outputFile=${report}`,
    ...(only ? ['-t', only] : []),
    ...tests,
  ];
  return new Promise((resolve) => {
    const started = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', out, out], detached: true });
    child = started;
    const timer = setTimeout(() => killChild(), MUTANT_TIMEOUT_MS);
    started.once('exit', (code, signal) => {
      clearTimeout(timer);
      closeSync(out);
      child = undefined;
      if (signal) return resolve({ status: 'failed', note: `jest ended by ${signal} (timed out)` });
      let parsed: {
        numFailedTests: number;
        numTotalTests: number;
        testResults: {
          name: string;
          message: string;
          assertionResults: { status: string; fullName: string }[];
        }[];
      };
      try {
        parsed = JSON.parse(readFileSync(report, 'utf8'));
      } catch {
        return resolve({ status: 'error', note: `jest wrote no report (exit ${code}); see ${log}` });
      }
      const broken = parsed.testResults.filter((s) => s.assertionResults.length === 0 && s.message);
      if (broken.length > 0) {
        const first = broken[0]!.message.split('\n').find((l) => l.trim()) ?? '';
        return resolve({
          status: 'error',
          note: `${path.relative(dir, broken[0]!.name)} did not run: ${first.trim().slice(0, 160)}`,
        });
      }
      if (parsed.numTotalTests === 0) return resolve({ status: 'error', note: 'no test matched' });
      const failing = parsed.testResults.flatMap((s) =>
        s.assertionResults.filter((a) => a.status === 'failed').map((a) => a.fullName),
      );
      if (code === 0 && failing.length === 0) return resolve({ status: 'passed', note: '' });
      resolve({
        status: 'failed',
        note: failing.length > 0 ? failing.slice(0, 2).join(' | ') : `jest exited ${code}`,
      });
    });
  });
}

function killChild(): void {
  if (child?.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const flag = (name: string) => argv.includes(`--${name}`);
  const onlyIds = argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const unknownIds = (onlyIds ?? []).filter((id) => !MUTANTS.some((m) => m.id === id));
  if (unknownIds.length > 0) throw new Error(`no such mutant: ${unknownIds.join(', ')}`);
  const chosen = onlyIds ? MUTANTS.filter((m) => onlyIds.includes(m.id)) : MUTANTS;

  if (flag('list')) {
    const tests = testFiles(ROOT);
    for (const m of chosen) {
      const stale = staleReason(ROOT, m, tests);
      console.log(
        `${stale ? 'STALE' : 'ok   '} ${m.id.padEnd(38)} ${m.file}\n      ${stale ? `${stale}: ` : ''}${m.description}`,
      );
    }
    const staleCount = chosen.filter((m) => staleReason(ROOT, m, tests)).length;
    if (staleCount > 0) {
      console.log(`\n${staleCount} stale`);
      process.exitCode = 1;
    }
    return;
  }

  const dir = makeScratchCopy();
  // Whatever happens from here, the copy's files are put back and the copy goes (unless --keep).
  let undo: (() => void) | undefined;
  const cleanUp = () => {
    killChild();
    undo?.();
    if (!flag('keep')) rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', cleanUp);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping, undoing the mutant in the scratch copy`);
      process.exit(130);
    });
  }
  console.log(`scratch copy of the work tree: ${dir}`);

  const results: Result[] = [];
  const runnable: Mutant[] = [];
  const tests = testFiles(dir);
  for (const m of chosen) {
    const stale = staleReason(dir, m, tests);
    if (!stale) runnable.push(m);
    else results.push({ mutant: m, outcome: 'stale', seconds: 0, note: stale });
  }

  // A suite that fails unmutated would "kill" every mutant: run each distinct selection clean first.
  const failedBaselines = new Map<string, string>();
  if (!flag('no-baseline')) {
    const selections = new Map<string, Mutant>();
    for (const m of runnable) selections.set(JSON.stringify([m.tests, m.only]), m);
    let i = 0;
    for (const [key, m] of selections) {
      i += 1;
      const started = Date.now();
      process.stdout.write(`baseline ${i}/${selections.size}: ${m.tests.join(' ')} ... `);
      const run = await runJest(dir, m.tests, m.only, `baseline-${i}`);
      console.log(`${run.status} (${Math.round((Date.now() - started) / 1000)} s)`);
      if (run.status !== 'passed') failedBaselines.set(key, run.note);
    }
  }

  for (const [n, m] of runnable.entries()) {
    const started = Date.now();
    const key = JSON.stringify([m.tests, m.only]);
    const seconds = () => Math.round((Date.now() - started) / 1000);
    if (failedBaselines.has(key)) {
      results.push({ mutant: m, outcome: 'baseline_failed', seconds: 0, note: failedBaselines.get(key)! });
      continue;
    }
    const file = path.join(dir, m.file);
    const original = readFileSync(file);
    const text = original.toString('utf8');
    const at = text.indexOf(m.find);
    const mutated = text.slice(0, at) + m.replace + text.slice(at + m.find.length);
    process.stdout.write(`[${n + 1}/${runnable.length}] ${m.id} ... `);
    undo = () => {
      writeFileSync(file, original);
      if (!readFileSync(file).equals(original)) throw new Error(`could not restore ${file}`);
      undo = undefined;
    };
    let run: Awaited<ReturnType<typeof runJest>>;
    try {
      writeFileSync(file, mutated);
      run = await runJest(dir, m.tests, m.only, `${n + 1}-${m.id}-${randomUUID().slice(0, 4)}`);
    } finally {
      undo();
    }
    const outcome: Outcome =
      run.status === 'failed' ? 'killed' : run.status === 'passed' ? 'survived' : 'error';
    console.log(`${outcome} (${seconds()} s)`);
    results.push({ mutant: m, outcome, seconds: seconds(), note: run.note });
  }

  const count = (o: Outcome) => results.filter((r) => r.outcome === o).length;
  console.log('\nmutant                                 outcome          why / first failing test');
  for (const r of results) {
    console.log(`${r.mutant.id.padEnd(38)} ${r.outcome.padEnd(16)} ${r.note}`);
    if (r.outcome === 'survived') console.log(`${''.padEnd(38)} ${''.padEnd(16)} (${r.mutant.description})`);
  }
  const killed = count('killed');
  const scored = killed + count('survived');
  console.log(
    `\nkilled ${killed}, survived ${count('survived')}, stale ${count('stale')}, error ${count('error')}, ` +
      `baseline failed ${count('baseline_failed')}; mutation score ${scored ? Math.round((100 * killed) / scored) : 0}% ` +
      `(${killed}/${scored})`,
  );
  if (flag('keep')) console.log(`jest reports and logs: ${path.join(dir, '.mutate')}`);
  process.exitCode = count('survived') + count('error') > 0 ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 2;
});
