/**
 * `npm run bench`: the product's hot paths beside a bare reference measured in the same run, printed as
 * one table (figure, reference, ratio, p50/p99 for servers, goal met or missed) and written to
 * artifacts/bench.json (keys in docs/reliability.md). Figures are for comparison on one machine: no test
 * depends on them, and nothing here runs inside `npm test`.
 *
 * npm run bench                 every suite (4 minutes on two cores at load 2-5, 8 at load 8-12)
 * npm run bench -- --quick      every suite, a few seconds per measurement (about 5 minutes on busy cores)
 * npm run bench -- card rp      the suites whose file name starts with card or rp
 * npm run bench -- --list       load every suite (a broken import shows) and name it, measuring nothing
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import type { BenchResult, Goal } from './types';

export const BENCH_JSON = path.resolve(__dirname, '../artifacts/bench.json');

/** One row of artifacts/bench.json: a BenchResult with its suite and its goal decided. */
export interface BenchRow {
  suite: string;
  name: string;
  opsPerSec: number;
  unit: string;
  reference: string | null;
  referenceOpsPerSec: number | null;
  ratio: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  /** p99 of the reference, where it is a server too. */
  referenceP99Ms: number | null;
  goal: (Goal & { met: boolean }) | null;
}

/** Met when every bound the goal names holds (a missing figure misses). */
export function goalMet(goal: Goal, ratio: number | null, p99Ms: number | null): boolean {
  if (goal.ratio !== undefined && !(ratio !== null && ratio >= goal.ratio)) return false;
  if (goal.maxRatio !== undefined && !(ratio !== null && ratio <= goal.maxRatio)) return false;
  if (goal.maxP99Ms !== undefined && !(p99Ms !== null && p99Ms < goal.maxP99Ms)) return false;
  return true;
}

function rowOf(suite: string, r: BenchResult): BenchRow {
  const ratio =
    r.ratio ?? (r.referenceOpsPerSec !== undefined ? r.opsPerSec / r.referenceOpsPerSec : undefined);
  const row: BenchRow = {
    suite,
    name: r.name,
    opsPerSec: r.opsPerSec,
    unit: r.unit ?? 'ops/s',
    reference: r.reference ?? null,
    referenceOpsPerSec: r.referenceOpsPerSec ?? null,
    ratio: ratio ?? null,
    p50Ms: r.p50Ms ?? null,
    p99Ms: r.p99Ms ?? null,
    referenceP99Ms: r.referenceP99Ms ?? null,
    goal: null,
  };
  if (r.goal) row.goal = { ...r.goal, met: goalMet(r.goal, row.ratio, row.p99Ms) };
  return row;
}

function number(n: number, unit: string): string {
  if (unit === 'bytes')
    return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
  if (unit === 'ms') return `${n.toFixed(0)} ms`;
  return `${Math.round(n).toLocaleString('en-US')} ${unit}`;
}

function goalText(goal: BenchRow['goal']): string {
  if (!goal) return '';
  const parts: string[] = [];
  if (goal.ratio !== undefined) parts.push(`ratio >= ${goal.ratio}`);
  if (goal.maxRatio !== undefined) parts.push(`ratio <= ${goal.maxRatio}`);
  if (goal.maxP99Ms !== undefined) parts.push(`p99 < ${goal.maxP99Ms} ms`);
  return ` | goal ${parts.join(', ')}: ${goal.met ? 'MET' : 'MISSED'}`;
}

export function format(r: BenchRow): string {
  const ref =
    r.referenceOpsPerSec !== null
      ? ` | ${r.reference ?? 'reference'} ${number(r.referenceOpsPerSec, r.unit)} | ratio ${r.ratio!.toFixed(3)}`
      : '';
  const p50 = r.p50Ms !== null ? ` | p50 ${r.p50Ms.toFixed(1)} ms` : '';
  const p99 = r.p99Ms !== null ? ` | p99 ${r.p99Ms.toFixed(1)} ms` : '';
  return `${r.name.padEnd(52)} ${number(r.opsPerSec, r.unit)}${ref}${p50}${p99}${goalText(r.goal)}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const list = args.includes('--list');
  const quick = args.includes('--quick');
  // Before any suite is imported: bench/options.ts reads it, and forked server processes inherit it.
  if (quick) process.env.BENCH_QUICK = '1';
  const only = args.filter((a) => !a.startsWith('--'));
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => list || only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort();
  if (files.length === 0) throw new Error(`no suite starts with ${only.join(' or ')}`);
  const rows: BenchRow[] = [];
  const started = Date.now();
  const loadAtStart = loadavg();
  const failed: string[] = [];
  // What each suite prints besides its rows (layout, CPU per request, database commands, per-step times),
  // kept for artifacts/bench.json: the figures a missed goal is explained with.
  const notes: Record<string, string[]> = {};
  const seconds: Record<string, number> = {};
  for (const file of files) {
    const suite = file.replace(/\.bench\.ts$/, '');
    if (list) {
      const mod = (await import(path.join(__dirname, file))) as { run?: unknown };
      if (typeof mod.run !== 'function') throw new Error(`${file} exports no run()`);
      process.stdout.write(`${suite}\n`);
      continue;
    }
    const t0 = Date.now();
    process.stdout.write(`== ${suite}\n`);
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return write(chunk, ...rest);
    }) as typeof process.stdout.write;
    try {
      const mod = (await import(path.join(__dirname, file))) as { run(): Promise<BenchResult[]> };
      const results = await mod.run();
      process.stdout.write = write;
      for (const result of results) {
        const row = rowOf(suite, result);
        rows.push(row);
        process.stdout.write(`   ${format(row)}\n`);
      }
    } catch (err) {
      process.stdout.write = write;
      // One broken suite must not cost the others' figures: it is named below and the exit code says so.
      failed.push(suite);
      process.stderr.write(`bench ${suite} failed: ${String((err as Error)?.stack ?? err)}\n`);
    }
    notes[suite] = printed
      .join('')
      .split('\n')
      .map((line) => line.trimEnd())
      .filter((line) => line.trim() !== '');
    seconds[suite] = Math.round((Date.now() - t0) / 1000);
    process.stdout.write(`   (${suite}: ${seconds[suite]} s)\n`);
  }
  if (list) return;
  process.stdout.write(`\nsummary${quick ? ' (--quick)' : ''} (product / reference):\n`);
  for (const r of rows) process.stdout.write(`  ${r.suite.padEnd(11)} ${format(r)}\n`);
  const goals = rows.filter((r) => r.goal);
  const missed = goals.filter((r) => !r.goal!.met);
  process.stdout.write(
    `\ngoals: ${goals.length - missed.length} of ${goals.length} met` +
      (missed.length ? `; missed: ${missed.map((r) => `${r.suite}/${r.name}`).join('; ')}` : '') +
      `\n`,
  );
  mkdirSync(path.dirname(BENCH_JSON), { recursive: true });
  writeFileSync(
    BENCH_JSON,
    `${JSON.stringify(
      {
        date: new Date(started).toISOString(),
        seconds: Math.round((Date.now() - started) / 1000),
        quick,
        suites: files.map((f) => f.replace(/\.bench\.ts$/, '')),
        failed,
        machine: {
          cpus: cpus().length,
          cpu: cpus()[0]?.model ?? '',
          memoryBytes: totalmem(),
          node: process.version,
          platform: `${process.platform} ${process.arch}`,
          // 1, 5 and 15 minute load averages: other work on the machine moves absolute figures, not ratios.
          loadAverageAtStart: loadAtStart.map((l) => Number(l.toFixed(2))),
          loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(2))),
        },
        goals: {
          met: rows.filter((r) => r.goal?.met).length,
          missed: rows.filter((r) => r.goal && !r.goal.met).map((r) => `${r.suite}/${r.name}`),
        },
        suiteSeconds: seconds,
        rows,
        notes,
      },
      null,
      2,
    )}\n`,
  );
  process.stdout.write(`written: ${path.relative(process.cwd(), BENCH_JSON)}\n`);
  if (failed.length) {
    process.stderr.write(`failed suites: ${failed.join(', ')}\n`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
