import {
  addNoteSignatures,
  base64Encode,
  createCheckpointVerifier,
  merkleRoot,
  type NationalTrustList,
} from '@eid/shared';
import { createNodeEd25519, nodeSha256 } from '../infra/ed25519';
import type { NationalContext } from './context';
import { proofFrom } from './log';
import type { EnrolledProvince, RegistryKey, WitnessOutcome } from './national.types';
import { callNode } from './node-http';
import { witnessVerifierKeys } from './registry';

/** The province side's witness route (bff/src/modules/federation). */
export const WITNESS_PATH = '/api/v1/federation/witness';

const ed25519 = createNodeEd25519();

/** A checkpoint waiting for cosignatures: its note signed by the log, and the tree it commits to. */
export interface PendingCheckpoint {
  note: string;
  size: number;
  leaves: readonly Uint8Array[];
}

interface Asked {
  outcome: WitnessOutcome;
  line?: string;
}

/** A refusal's machine-readable part, as the province answers it (`{ code, details: { reason, latestSize } }`). */
function refusalOf(body: unknown): { code?: string; reason?: string; latestSize?: number } {
  if (typeof body !== 'object' || body === null) return {};
  const { code, details } = body as { code?: unknown; details?: { reason?: unknown; latestSize?: unknown } };
  return {
    ...(typeof code === 'string' && { code }),
    ...(typeof details?.reason === 'string' && { reason: details.reason }),
    ...(typeof details?.latestSize === 'number' && { latestSize: details.latestSize }),
  };
}

/**
 * Asks one province's witness to cosign (c2sp.org/tlog-witness, over our JSON route): the checkpoint with a
 * consistency proof from the size the national believes it last cosigned. A witness that knows another size
 * says so (409 with `latestSize`); it is asked once more from that size. The answered line counts only when
 * it verifies under the province's witness key against this very checkpoint.
 */
async function askWitness(
  ctx: NationalContext,
  province: EnrolledProvince,
  vkeys: string[],
  pending: PendingCheckpoint,
  believed: number,
): Promise<Asked> {
  const { deps } = ctx;
  const url = `${province.url}${WITNESS_PATH}`;
  let fromSize = Math.min(believed, pending.size);
  for (let round = 0; round < 2; round++) {
    const reply = await callNode(
      ctx.fetch,
      url,
      {
        method: 'POST',
        body: {
          checkpoint: pending.note,
          consistency: { fromSize, hashes: proofFrom(pending.leaves, fromSize, pending.size) },
        },
      },
      deps.config.FEDERATION_TIMEOUT_MS,
    );
    if (!reply) return { outcome: { province: province.province, outcome: 'unreachable' } };
    if (reply.status === 200) {
      const line = (reply.body as { cosignature?: unknown } | undefined)?.cosignature;
      if (typeof line !== 'string' || !verifiesAlone(ctx, vkeys, pending.note, line))
        return { outcome: { province: province.province, outcome: 'invalid' } };
      return { outcome: { province: province.province, outcome: 'cosigned' }, line };
    }
    const refusal = refusalOf(reply.body);
    const latest = refusal.latestSize;
    if (round === 0 && latest !== undefined && latest !== fromSize && latest <= pending.size) {
      fromSize = latest;
      continue;
    }
    if (reply.status >= 500) return { outcome: { province: province.province, outcome: 'unreachable' } };
    return {
      outcome: {
        province: province.province,
        outcome: 'refused',
        ...(refusal.code !== undefined && { code: refusal.code }),
        ...(refusal.reason !== undefined && { reason: refusal.reason }),
      },
    };
  }
  return { outcome: { province: province.province, outcome: 'refused' } };
}

/** True when `line` is a cosignature of the province's witness over the checkpoint of `note`, not future-dated. */
function verifiesAlone(ctx: NationalContext, vkeys: string[], note: string, line: string): boolean {
  if (vkeys.length === 0 || !/^— [^\n]+\n$/.test(line)) return false;
  try {
    createCheckpointVerifier(
      { origin: ctx.deps.config.NATIONAL_LOG_ORIGIN, logKeys: [ctx.logKey], witnesses: vkeys, quorum: 1 },
      { ed25519, sha256: nodeSha256 },
    ).verify(addNoteSignatures(note, line), ctx.deps.clock.now());
    return true;
  } catch {
    return false;
  }
}

/**
 * Sends the checkpoint to every enrolled province's witness at once, each within FEDERATION_TIMEOUT_MS, and
 * answers the note with every valid cosignature added, how each witness answered, and how many counted.
 * What each witness cosigned is remembered, so the next checkpoint comes with the right proof.
 */
export async function collectCosignatures(
  ctx: NationalContext,
  list: NationalTrustList,
  registry: readonly RegistryKey[],
  pending: PendingCheckpoint,
): Promise<{ note: string; cosignatures: number; witnesses: WitnessOutcome[] }> {
  const { deps, repo } = ctx;
  const now = deps.clock.now();
  const records = await repo.witnessRecords();
  const root = base64Encode(merkleRoot(pending.leaves, pending.size, nodeSha256));
  const asked = await Promise.all(
    ctx.provinces.map(async (p) => {
      const result = await askWitness(
        ctx,
        p,
        witnessVerifierKeys(list, registry, p.province, now),
        pending,
        records.get(p.province)?.size ?? 0,
      );
      if (result.line)
        await repo.recordWitness({ province: p.province, size: pending.size, rootHash: root, at: now });
      return result;
    }),
  );
  const lines = asked.flatMap((a) => (a.line ? [a.line] : []));
  const note = lines.length > 0 ? addNoteSignatures(pending.note, lines.join('')) : pending.note;
  return { note, cosignatures: lines.length, witnesses: asked.map((a) => a.outcome) };
}
