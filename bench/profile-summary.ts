/**
 * Summarises V8 CPU profiles (`BENCH_CPU_PROF=<dir>` writes one per measured run, `node --cpu-prof` too):
 * the functions with the most self time, and the same folded by file, so a profile says where the time
 * goes without a viewer.
 *
 * @example npx tsx bench/profile-summary.ts /tmp/prof/1-endpoint.cpuprofile [top]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Self time (ms) by function and by file of one profile. */
export function summarise(profile: Profile): {
  totalMs: number;
  byFunction: [string, number][];
  byFile: [string, number][];
} {
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++)
    self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + (deltas[i] ?? 0) / 1000);
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let totalMs = 0;
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0;
    if (ms === 0) continue;
    totalMs += ms;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url ? shorten(url) : '(native)';
    const fn = `${functionName || '(anonymous)'} ${file}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
    byFile.set(file, (byFile.get(file) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { totalMs, byFunction: sorted(byFunction), byFile: sorted(byFile) };
}

function shorten(url: string): string {
  const file = url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('node_modules/');
  if (nm >= 0) return file.slice(nm + 'node_modules/'.length);
  return path.relative(path.resolve(__dirname, '..'), file);
}

if (process.argv[1]?.endsWith('profile-summary.ts')) {
  const [file, top = '25'] = process.argv.slice(2);
  if (!file) throw new Error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]');
  const { totalMs, byFunction, byFile } = summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile);
  const pct = (ms: number) => `${((100 * ms) / totalMs).toFixed(1).padStart(5)}%`;
  process.stdout.write(`${file}: ${totalMs.toFixed(0)} ms sampled\n\nself time by function:\n`);
  for (const [name, ms] of byFunction.slice(0, Number(top))) process.stdout.write(`  ${pct(ms)}  ${name}\n`);
  process.stdout.write(`\nself time by file:\n`);
  for (const [name, ms] of byFile.slice(0, Number(top))) process.stdout.write(`  ${pct(ms)}  ${name}\n`);
}
