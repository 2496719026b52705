/** Timing helpers the benches share. */

/** The value at fraction `p` of an ascending list (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

/**
 * Runs `op(0..count-1)` `concurrency` at a time, as a server sees that many clients: calls per second of
 * the whole, and each call's milliseconds at p50 and p99.
 */
export async function concurrently(
  count: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
): Promise<{ rate: number; p50: number; p99: number }> {
  const times: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        await op(i);
        times.push(performance.now() - t);
      }
    }),
  );
  const rate = count / ((performance.now() - start) / 1000);
  times.sort((a, b) => a - b);
  return { rate, p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}
