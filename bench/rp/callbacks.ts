import type { BenchResult } from '../types';
export async function measureCallbacks(): Promise<BenchResult[]> {
  return [];
}
