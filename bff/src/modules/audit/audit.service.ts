import { runEvery } from '../../infra/interval';
import type { AuditService } from './audit.types';
import { latestCheckpoint, publishCheckpoint } from './checkpoint';
import { cosignCheckpoint } from './cosign';
import type { AuditDeps } from './deps';
import { exportEvents, listActions, recordAction, searchEvents } from './search';
import { verifyResidentChain } from './verify';

export type { AuditDeps } from './deps';

/**
 * The audit (issue 19 §6, docs/admin.md "Audit"): search.ts searches and exports the usage traces and
 * keeps the audit-actions log, verify.ts checks a chain against the latest checkpoint, checkpoint.ts
 * publishes checkpoints of the log of chain heads, cosign-request.ts and cosign.ts are the two sides of
 * their cosigning by another province node.
 */
export function createAuditService(deps: AuditDeps): AuditService {
  return {
    search: (auditor, q) => searchEvents(deps, auditor, q),
    exportCsv: (auditor, q) => exportEvents(deps, auditor, q),
    verifyChain: (auditor, residentRef) => verifyResidentChain(deps, auditor, residentRef),
    actions: (q) => listActions(deps, q),
    async publishCheckpoint(auditor) {
      const view = await publishCheckpoint(deps);
      if (auditor) await recordAction(deps, auditor, { action: 'checkpoint', filter: { size: view.size } });
      return view;
    },
    latestCheckpoint: () => latestCheckpoint(deps),
    cosign: (province, input) => cosignCheckpoint(deps, province, input),
    startCheckpoints: (intervalMs) =>
      runEvery(
        intervalMs,
        () => publishCheckpoint(deps),
        (err) => {
          // Another process publishing at the same tick is no failure.
          if ((err as { code?: unknown }).code === 'CONFLICT') return;
          deps.logger.error({ err }, 'audit checkpoint failed');
        },
      ),
  };
}
