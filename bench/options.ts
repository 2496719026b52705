/**
 * How long the suites measure: `npm run bench -- --quick` (BENCH_QUICK=1, inherited by the forked server
 * processes) runs each measurement for a few seconds, enough to see that every row still works and
 * roughly where it lies; the full run is what the figures in docs/reliability.md come from.
 */
export const QUICK = process.env.BENCH_QUICK === '1';

/** `full` in a full run, `quick` under --quick. */
export function scaled<T>(full: T, quick: T): T {
  return QUICK ? quick : full;
}
