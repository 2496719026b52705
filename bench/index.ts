/**
 * `npm run bench`: the product's hot paths beside a bare reference measured in the same run, printed as
 * ratios. Numbers are for comparison on one machine, never pass/fail: no test depends on them.
 * `npm run bench -- card` runs the suites whose file starts with card; `-- --list` loads and names them all.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { BenchResult } from './types';

async function main(): Promise<void> {
  // --list: load every suite (so a broken import shows) and name it, measuring nothing.
  const list = process.argv[2] === '--list';
  const only = list ? undefined : process.argv[2];
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => !only || f.startsWith(only))
    .sort();
  const rows: (BenchResult & { suite: string })[] = [];
  for (const file of files) {
    const suite = file.replace(/\.bench\.ts$/, '');
    if (list) {
      const mod = (await import(path.join(__dirname, file))) as { run?: unknown };
      if (typeof mod.run !== 'function') throw new Error(`${file} exports no run()`);
      process.stdout.write(`${suite}\n`);
      continue;
    }
    process.stdout.write(`== ${suite}\n`);
    const mod = (await import(path.join(__dirname, file))) as { run(): Promise<BenchResult[]> };
    for (const result of await mod.run()) {
      rows.push({ suite, ...result });
      process.stdout.write(`   ${format(result)}\n`);
    }
  }
  if (list) return;
  process.stdout.write('\nsummary (product / reference):\n');
  for (const r of rows) process.stdout.write(`  ${r.suite.padEnd(8)} ${format(r)}\n`);
}

function format(r: BenchResult): string {
  const ops = `${Math.round(r.opsPerSec).toLocaleString('en-US')} ${r.unit ?? 'ops/s'}`;
  const ref =
    r.referenceOpsPerSec !== undefined
      ? ` | ${r.reference ?? 'reference'} ${Math.round(r.referenceOpsPerSec).toLocaleString('en-US')} ops/s | ratio ${(r.ratio ?? r.opsPerSec / r.referenceOpsPerSec).toFixed(3)}`
      : '';
  const p99 = r.p99Ms !== undefined ? ` | p99 ${r.p99Ms.toFixed(1)} ms` : '';
  return `${r.name.padEnd(48)} ${ops}${ref}${p99}`;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
