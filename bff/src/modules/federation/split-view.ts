import type { FederationDeps } from './deps';
import type { SplitViewRecord } from './federation.types';

/**
 * Records a split view (the first one stays: it is the evidence) and says so loudly with both notes: two
 * checkpoints the national log signed that cannot both be honest. From then on this node accepts no new
 * list (FEDERATION_SPLIT_VIEW) until an operator has looked and cleared the record.
 */
export async function recordSplitView(
  deps: Pick<FederationDeps, 'repo' | 'logger'>,
  record: SplitViewRecord,
): Promise<void> {
  const first = await deps.repo.recordSplitView(record);
  deps.logger.error(
    { source: record.source, reason: record.reason, ours: record.ours, theirs: record.theirs, first },
    'federation split view detected',
  );
}
