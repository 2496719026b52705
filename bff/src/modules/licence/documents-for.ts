import { AppError, errorCodeOf, licencePurposeTypes } from '@eid/shared';
import type { UsageActor } from '../usage/usage.types';
import { judgeStatus, recordQuietly, type LicenceDeps } from './deps';
import { requireTypes } from './link';
import type { PulledDocument } from './licence.types';
import { checkPulled } from './pull';

/** Who pulls for a document call unless the caller names its own actor. */
const CALL_ACTOR: UsageActor = { type: 'system', id: 'document-call', displayName: '证照调用' };

/**
 * A fresh pull of the resident's documents of `types` for `purpose` (a document-call service code, or
 * `wallet`), straight from the licence system, each checked as a wallet pull is and with its status judged
 * now; nothing is stored. The pull is in the resident's trace (`licence.pull`, trigger `document_call`,
 * purpose = the service), a failed one too. LICENCE_SYSTEM_UNAVAILABLE (503, `details.retryable`,
 * `retryAfterS`) when the system is down or slow; LICENCE_TYPE_UNKNOWN for a type that is not registered
 * or that the purpose may not pull; PURPOSE_UNKNOWN for a purpose that is neither.
 */
export async function documentsFor(
  deps: LicenceDeps,
  residentId: string,
  types: readonly string[],
  purpose: string,
  options: { requestId?: string; actor?: UsageActor } = {},
): Promise<PulledDocument[]> {
  requireTypes(types);
  const allowed = licencePurposeTypes(purpose);
  if (!allowed)
    throw new AppError('PURPOSE_UNKNOWN', 'The purpose is neither the wallet nor a published service');
  const refused = types.filter((t) => !allowed.includes(t));
  if (refused.length > 0) {
    throw new AppError('LICENCE_TYPE_UNKNOWN', 'A document type is not one this purpose may pull', {
      types: refused,
      reason: 'not_for_purpose',
    });
  }
  const trace = deps.usage.disclosure({
    residentId,
    actor: options.actor ?? CALL_ACTOR,
    purpose,
    requestId: options.requestId,
  });
  const detail = { trigger: 'document_call', types: types.join(',') };
  try {
    const { face } = await deps.identity.getVerifiedIdentity(residentId);
    const answer = await deps.client.documents({ holderIdNumber: face.idNumber, types, purpose });
    if (answer.notModified)
      throw new AppError('INTERNAL', 'The licence system answered 304 without a validator');
    const checked = await checkPulled(deps, answer.documents, types);
    await trace.record({
      action: 'licence.pull',
      fields: [...new Set(checked.map((c) => c.stored.type))],
      detail: { ...detail, count: checked.length },
    });
    const now = deps.clock.now();
    return checked.map(({ stored, values }) => ({
      docId: stored.docId,
      type: stored.type,
      identifier: stored.identifier,
      issuerKid: stored.issuerKid,
      documentNumber: stored.documentNumber,
      status: judgeStatus(stored.systemStatus, stored.validUntil, now),
      issuerStatus: stored.systemStatus,
      validUntil: stored.validUntil ?? null,
      credential: stored.credential,
      secrets: stored.secrets,
      values,
      updatedAt: stored.updatedAt,
    }));
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'CARD_NOT_ELIGIBLE')) {
      await recordQuietly(deps, trace, {
        action: 'licence.pull',
        result: 'failed',
        detail: { ...detail, error: errorCodeOf(err) ?? 'INTERNAL' },
      });
    }
    throw err;
  }
}
