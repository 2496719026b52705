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
  children?: number[];
}
export interface Profile {
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

/** The part of the process a file belongs to, for `byArea`. */
function areaOf(url: string): string {
  const file = shorten(url);
  if (/^(mongodb|bson|mongoose|mquery)\//.test(file)) return 'database driver (mongodb, bson, mongoose)';
  if (/^(koa|@koa|koa-[a-z-]+|ee-first|delegates|type-is|on-finished|statuses|http-errors)\//.test(file))
    return 'koa and its helpers';
  if (file.startsWith('node:internal/crypto') || file === 'node:crypto') return 'node:crypto';
  if (file.startsWith('node:')) return 'node: http, streams, events, buffers, timers';
  if (file.startsWith('bff/src/'))
    return `bff ${file.slice('bff/src/'.length).split('/').slice(0, 2).join('/')}`;
  if (file.startsWith('shared/src/')) return 'shared';
  if (file.startsWith('bench/')) return 'bench references';
  return file.split('/')[0]!;
}

/**
 * Self time (ms) by area of the process (database driver, koa, node:crypto, node's own http and streams, each
 * bff module, shared, ...), where a native frame counts for the JavaScript that called it (a `verify` for
 * node:crypto, a socket write for node's streams), without the profiler's own work and idle time.
 */
export function byArea(profile: Profile): { busyMs: number; areas: [string, number][] } {
  const parent = new Map<number, ProfileNode>();
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const areas = new Map<string, number>();
  let busyMs = 0;
  for (let i = 0; i < samples.length; i++) {
    let node = nodes.get(samples[i]!);
    while (node && !node.callFrame.url && parent.has(node.id) && !node.callFrame.functionName.startsWith('('))
      node = parent.get(node.id);
    if (!node) continue;
    const { url, functionName } = node.callFrame;
    if (functionName === '(idle)' || url.startsWith('node:inspector')) continue;
    const area = url ? areaOf(url) : functionName;
    const ms = (deltas[i] ?? 0) / 1000;
    busyMs += ms;
    areas.set(area, (areas.get(area) ?? 0) + ms);
  }
  return { busyMs, areas: [...areas].sort((a, b) => b[1] - a[1]) };
}

/**
 * One line per area: the server process's CPU (µs) per request in each area, for each side (its profiles
 * summed, over its requests), most first by the first side; areas under 2% of both are folded into "rest".
 */
export function areasPerRequest(sides: { name: string; files: string[]; requests: number }[]): string {
  const perSide = sides.map(({ files, requests }) => {
    const sum = new Map<string, number>();
    for (const file of files)
      for (const [area, ms] of byArea(JSON.parse(readFileSync(file, 'utf8')) as Profile).areas)
        sum.set(area, (sum.get(area) ?? 0) + (ms * 1000) / requests);
    return sum;
  });
  const total = perSide.map((m) => [...m.values()].reduce((t, v) => t + v, 0));
  const names = [...new Set(perSide.flatMap((m) => [...m.keys()]))].sort(
    (a, b) => (perSide[0]!.get(b) ?? 0) - (perSide[0]!.get(a) ?? 0),
  );
  const shown = names.filter((n) => perSide.some((m, i) => (m.get(n) ?? 0) >= 0.02 * total[i]!));
  const cell = (m: Map<string, number>, names: string[]) =>
    names
      .reduce((t, n) => t + (m.get(n) ?? 0), 0)
      .toFixed(0)
      .padStart(6);
  const lines = shown.map((n) => `     ${n.padEnd(46)} ${perSide.map((m) => cell(m, [n])).join(' ')}`);
  const rest = names.filter((n) => !shown.includes(n));
  lines.push(`     ${'rest'.padEnd(46)} ${perSide.map((m) => cell(m, rest)).join(' ')}`);
  lines.push(
    `     ${'all (sampled, without idle)'.padEnd(46)} ${total.map((t) => t.toFixed(0).padStart(6)).join(' ')}`,
  );
  return (
    `   where the server's CPU goes (CPU profile, µs per request): ${sides.map((s) => s.name).join(' | ')}\n` +
    `${lines.join('\n')}\n`
  );
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
