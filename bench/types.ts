/**
 * One measured hot path, with the bare reference it is compared against in the same run. bench/index.ts
 * prints it as a table row and writes it, with its suite, to artifacts/bench.json (docs/reliability.md names
 * the keys; they stay stable because docs/reliability.md is built from them).
 */
export interface BenchResult {
  name: string;
  opsPerSec: number;
  reference?: string;
  referenceOpsPerSec?: number;
  /** product / reference; computed from the two when absent. */
  ratio?: number;
  /** Latency percentiles of a server row (autocannon), or of a timed step. */
  p50Ms?: number;
  p99Ms?: number;
  referenceP99Ms?: number;
  /** What opsPerSec counts when it is not operations per second (a size row: `bytes`; a time row: `ms`). */
  unit?: string;
  /**
   * The goal the row is held to: `ratio` is the least ratio (or, for a size or time row where smaller is
   * better, `maxRatio` the most), `maxP99Ms` the most p99. index.ts decides met or missed.
   */
  goal?: Goal;
}

export interface Goal {
  ratio?: number;
  maxRatio?: number;
  maxP99Ms?: number;
}
