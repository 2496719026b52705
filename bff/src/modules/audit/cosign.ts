import {
  AppError,
  base64DecodeStrict,
  base64Encode,
  createCosigner,
  createWitness,
  formatVerifierKey,
  NOTE_SIGNATURE_TYPE_ED25519,
  nodeKeysOfList,
  WITNESS_INVALID_REASONS,
} from '@eid/shared';
import { nodeSha256 } from '../../infra/ed25519';
import type { CosignAnswer, CosignInput } from './audit.types';
import type { AuditDeps } from './deps';
import { auditLogOrigin } from './log-format';

const MAX_ROUNDS = 5;

/**
 * The cosigner's side (`POST /api/v1/federation/node/audit-checkpoints/cosign`): a province's checkpoint of
 * its own log (origin `eid-usage-heads/<the signer's province>`), signed by one of its node keys in the
 * national list, is cosigned with this node's witness key when it extends the last one cosigned for that
 * province: never a smaller tree, the same root at the same size, a consistency proof from the recorded one
 * (the shared witness decision). A fork is refused with AUDIT_CHECKPOINT_INCONSISTENT and logged.
 */
export async function cosignCheckpoint(
  deps: AuditDeps,
  province: string,
  input: CosignInput,
): Promise<CosignAnswer> {
  const list = deps.federation.current()?.list;
  if (!list) throw new AppError('FEDERATION_NOT_CONFIGURED', 'This node holds no national trust list');
  const origin = auditLogOrigin(province);
  const logKeys = nodeKeysOfList(list, province, deps.clock.now()).map((k) =>
    formatVerifierKey(origin, NOTE_SIGNATURE_TYPE_ED25519, k.publicKey),
  );
  if (logKeys.length === 0)
    throw new AppError('NODE_KEY_UNKNOWN', 'The list holds no node key of that province');
  const cosigner = createCosigner(
    deps.keys.witnessName(),
    deps.keys.witnessPublicKey(),
    (m) => deps.keys.signAsWitness(m),
    nodeSha256,
  );
  const witness = createWitness({ origin, logKeys, cosigner }, { ed25519: deps.ed25519, sha256: nodeSha256 });
  const proof = (input.consistency?.hashes ?? []).map((h) => {
    const bytes = base64DecodeStrict(h);
    if (!bytes)
      throw new AppError('AUDIT_CHECKPOINT_INVALID', 'A proof hash is not base64', {
        reason: 'malformed_hash',
      });
    return bytes;
  });

  for (let round = 0; round < MAX_ROUNDS; round++) {
    const stored = await deps.repo.cosigned(province);
    const last = stored ? { size: stored.size, rootHash: base64DecodeStrict(stored.rootHash)! } : undefined;
    const now = deps.clock.now();
    // A first checkpoint needs no proof: the empty tree extends into anything. Later, a request without a
    // proof claims size 0, so a publisher that lost its record learns the size recorded here.
    const decision = witness.decide(
      last,
      !last || last.size === 0
        ? { note: input.checkpoint, proof: [] }
        : { note: input.checkpoint, proof, oldSize: input.consistency?.fromSize ?? 0 },
      now,
    );
    if (!decision.accepted) {
      const invalid = WITNESS_INVALID_REASONS.has(decision.reason);
      if (!invalid)
        deps.logger.warn({ province, reason: decision.reason }, 'audit checkpoint refused: not an extension');
      throw new AppError(
        invalid ? 'AUDIT_CHECKPOINT_INVALID' : 'AUDIT_CHECKPOINT_INCONSISTENT',
        `The checkpoint is not cosigned: ${decision.detail}`,
        decision.latestSize === undefined
          ? { reason: decision.reason }
          : { reason: decision.reason, latestSize: decision.latestSize },
      );
    }
    const next = {
      _id: province,
      size: decision.record.size,
      rootHash: base64Encode(decision.record.rootHash),
      note: input.checkpoint,
      cosignature: decision.cosignature,
      at: now,
    };
    if (await deps.repo.storeCosigned(stored, next)) {
      deps.logger.info({ province, treeSize: next.size }, 'audit checkpoint cosigned');
      return { cosignature: next.cosignature, treeSize: next.size };
    }
  }
  throw new AppError('CONFLICT', 'Other checkpoints of that province are being cosigned; try again');
}
