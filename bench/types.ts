/** One measured hot path, with the bare reference it is compared against in the same run. */
export interface BenchResult {
  name: string;
  opsPerSec: number;
  reference?: string;
  referenceOpsPerSec?: number;
  /** product / reference; computed from the two when absent. */
  ratio?: number;
  p99Ms?: number;
  referenceP99Ms?: number;
  /** What opsPerSec counts when it is not operations per second (a size row: `bytes`). */
  unit?: string;
}
