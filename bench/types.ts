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
}
