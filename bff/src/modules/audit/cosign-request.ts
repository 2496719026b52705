import {
  addNoteSignatures,
  consistencyHashes,
  cosignatureVerifier,
  formatVerifierKey,
  NOTE_SIGNATURE_TYPE_COSIGNATURE_V1,
  openNote,
  witnessKeysOfList,
  type NationalTrustList,
} from '@eid/shared';
import { nodeSha256 } from '../../infra/ed25519';
import type { AuditCheckpointDoc } from './audit.model';
import { AUDIT_COSIGN_PATH, type CosignAnswer, type CosignInput } from './audit.types';
import type { AuditDeps } from './deps';

/**
 * Asks every other province of the accepted national list to cosign the checkpoint, each from the size it
 * last cosigned of ours (with the consistency proof from there); keeps each cosignature that verifies under
 * that province's witness key from the list. Never throws: a peer that is down or refuses is logged, and the
 * checkpoint stands with the cosignatures it got. Standalone (no list): nothing to ask.
 */
export async function requestCosignatures(
  deps: AuditDeps,
  doc: AuditCheckpointDoc,
  leafHashes: Uint8Array[],
): Promise<void> {
  const list = deps.federation.current()?.list;
  if (!list) return;
  const peers = list.provinces.map((p) => p.province).filter((p) => p !== deps.province);
  await Promise.all(
    peers.map((province) =>
      askPeer(deps, list, province, doc, leafHashes).catch((err: unknown) =>
        deps.logger.warn(
          { province, code: (err as { code?: unknown }).code, treeSize: doc._id },
          'audit checkpoint not cosigned',
        ),
      ),
    ),
  );
}

async function askPeer(
  deps: AuditDeps,
  list: NationalTrustList,
  province: string,
  doc: AuditCheckpointDoc,
  leafHashes: Uint8Array[],
): Promise<void> {
  const size = doc._id;
  let from = (await deps.repo.lastCosignedBy(province)) ?? 0;
  for (let round = 0; round < 2; round++) {
    const body: CosignInput = { checkpoint: doc.note };
    if (from > 0 && from <= size)
      body.consistency = { fromSize: from, hashes: consistencyHashes(leafHashes, from, size, nodeSha256) };
    const answer = await deps.federation.nodeClient.call<
      CosignAnswer & { code?: string; details?: { reason?: string; latestSize?: number } }
    >(province, 'POST', AUDIT_COSIGN_PATH, body, { idempotent: true });
    if (answer.status === 200) {
      const line = answer.body.cosignature;
      if (typeof line !== 'string' || !verifies(deps, list, province, doc.note, line)) {
        deps.logger.warn({ province, treeSize: size }, 'audit cosignature does not verify');
        return;
      }
      await deps.repo.addCosignature(size, province, line, deps.clock.now());
      return;
    }
    const latest = answer.body.details?.latestSize;
    // The peer remembers another size than we do (our record lost, or a cosignature we never stored).
    if (
      answer.body.details?.reason === 'old_size_mismatch' &&
      typeof latest === 'number' &&
      latest !== from
    ) {
      from = latest;
      continue;
    }
    deps.logger.warn(
      { province, status: answer.status, code: answer.body.code, reason: answer.body.details?.reason },
      'audit checkpoint refused by a cosigner',
    );
    return;
  }
}

/** True when `line` is the province's witness cosignature of the note's checkpoint. */
function verifies(
  deps: AuditDeps,
  list: NationalTrustList,
  province: string,
  note: string,
  line: string,
): boolean {
  const verifiers = witnessKeysOfList(list, province, deps.clock.now()).map((k) =>
    cosignatureVerifier(
      formatVerifierKey(`witness-${province}`, NOTE_SIGNATURE_TYPE_COSIGNATURE_V1, k.publicKey),
      deps.ed25519,
    ),
  );
  if (verifiers.length === 0) return false;
  try {
    return openNote(addNoteSignatures(note, line), verifiers).verified.length > 0;
  } catch {
    return false;
  }
}
